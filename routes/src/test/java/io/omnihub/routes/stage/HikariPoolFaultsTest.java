package io.omnihub.routes.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import io.omnihub.testsupport.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the hub's pool (HikariCP, on a real PostgreSQL) throws when the database drops a connection
 * or the pool is closed under a running stage is told as infrastructure, including the bare
 * {@code SQLException} without SQLSTATE that the pool's proxy throws once it has closed the connection.
 */
class HikariPoolFaultsTest {

    static PostgresFixture pg;
    HikariDataSource pool;

    @BeforeAll
    static void startDatabase() {
        pg = PostgresFixture.start();
    }

    @AfterAll
    static void stopDatabase() {
        pg.close();
    }

    @BeforeEach
    void openPool() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(pg.jdbcUrl());
        pool.setMaximumPoolSize(2);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void aConnectionTheDatabaseDroppedAndThePoolThenClosedIsInfrastructure() throws Exception {
        try (Connection held = pool.getConnection()) {
            terminate(backendOf(held));

            SQLException dropped = catchThrowableOfType(SQLException.class, () -> select(held));
            SQLException closedByPool = catchThrowableOfType(SQLException.class, () -> select(held));

            assertThat(InfrastructureFaults.causedBy(dropped)).isTrue();
            assertThat(closedByPool.getSQLState()).as("the pool's proxy says nothing but its message").isNull();
            assertThat(InfrastructureFaults.causedBy(new IllegalStateException("could not apply batch", closedByPool))).isTrue();
        }
    }

    @Test
    void aConnectionInUseWhenThePoolIsClosedIsInfrastructure() throws Exception {
        Connection held = pool.getConnection();
        select(held);

        pool.close();

        SQLException aborted = catchThrowableOfType(SQLException.class, () -> select(held));
        SQLException closedByPool = catchThrowableOfType(SQLException.class, () -> select(held));
        assertThat(InfrastructureFaults.causedBy(aborted)).isTrue();
        assertThat(InfrastructureFaults.causedBy(closedByPool)).isTrue();
    }

    private static void select(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("select 1");
        }
    }

    private static int backendOf(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void terminate(int backend) throws SQLException {
        try (Connection admin = pg.dataSource().getConnection();
             Statement statement = admin.createStatement()) {
            statement.execute("select pg_terminate_backend(" + backend + ", 10000)");
        }
    }
}
