package io.omnihub.routes.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.routes.broker.BrokerUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures are the hub's infrastructure's (wait, count nothing) and which are the message's. */
class InfrastructureFaultsTest {

    @Test
    void postgresConnectionAndServerStatesAreInfrastructure() {
        assertThat(InfrastructureFaults.causedBy(new SQLException("Connection to localhost:5432 refused", "08001"))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new SQLException("An I/O error occurred while sending to the backend", "08006"))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new SQLException("could not extend file: No space left on device", "53100"))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new SQLException("cannot execute INSERT in a read-only transaction", "25006"))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new SQLTransientConnectionException("Connection is not available, request timed out"))).isTrue();
        // HikariCP's proxy of a connection the pool closed while the database was away: no SQLSTATE
        assertThat(InfrastructureFaults.causedBy(new RuntimeException("SQLSTATE : Connection is closed",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aConnectionAskedOfAClosedPoolIsInfrastructure() {
        // The hub stopping closes its pool while a stage may still be asking it for a connection.
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://localhost:1/never-connected");
        pool.close();

        Throwable refused = catchThrowable(pool::getConnection);

        assertThat(refused).isExactlyInstanceOf(SQLException.class);
        assertThat(((SQLException) refused).getSQLState()).isNull();
        assertThat(InfrastructureFaults.causedBy(new IllegalStateException("the core could not apply the batch", refused))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new SQLException("HikariDataSource is a word in this statement's error"))).isFalse();
    }

    @Test
    void aStatementTheDatabaseRefusesIsTheMessagesFault() {
        assertThat(InfrastructureFaults.causedBy(new SQLException("value too long for type character varying(64)", "22001"))).isFalse();
        assertThat(InfrastructureFaults.causedBy(new SQLException("duplicate key value violates unique constraint", "23505"))).isFalse();
        assertThat(InfrastructureFaults.causedBy(new SQLException("no state given"))).isFalse();
    }

    @Test
    void theCauseIsFoundHoweverDeeplyAConnectorOrTheCoreWrappedIt() {
        Exception wrapped = new TransientException("token refresh failed",
                new IllegalStateException("token cache", new SQLException("connection refused", "08001")));

        assertThat(InfrastructureFaults.causedBy(new RuntimeException(wrapped))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new RuntimeException("batch", new BrokerUnavailableException("broker gone")))).isTrue();
        assertThat(InfrastructureFaults.causedBy(new RuntimeException(new jakarta.jms.JMSException("AMQ219010: Connection is destroyed")))).isTrue();
    }

    @Test
    void channelAndContentFailuresAreNotInfrastructure() {
        assertThat(InfrastructureFaults.causedBy(new TransientException("WeChat answered 502"))).isFalse();
        assertThat(InfrastructureFaults.causedBy(new BadInputException("malformed XML"))).isFalse();
        assertThat(InfrastructureFaults.causedBy(new NullPointerException())).isFalse();
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertThat(InfrastructureFaults.causedBy(first)).isFalse();
    }
}
