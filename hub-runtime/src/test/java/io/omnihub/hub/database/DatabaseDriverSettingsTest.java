package io.omnihub.hub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.hub.RunningHub;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The driver settings the hub's pool gives every connection (application.yml), seen from what a
 * connection does. Each probe runs in a transaction that is rolled back, so the pool's connections
 * keep no table of it.
 */
class DatabaseDriverSettingsTest extends RunningHub {

    @Autowired
    DataSource dataSource;

    @Test
    void anErrorDoesNotQuoteTheRowAtFaultSoNoPhoneReachesALogOrADeadLetter() throws SQLException {
        inRolledBackTransaction((connection, statement) -> {
            statement.execute("create temporary table phone_probe (phone text primary key)");
            statement.execute("insert into phone_probe values ('+8613900001111')");

            assertThatThrownBy(() -> statement.execute("insert into phone_probe values ('+8613900001111')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("duplicate key")
                    .hasMessageNotContaining("13900001111");
        });
    }

    @Test
    void aBatchOfInsertsGoesAsMultiRowStatements() throws SQLException {
        inRolledBackTransaction((connection, statement) -> {
            statement.execute("create temporary table batch_probe (n int)");
            try (PreparedStatement insert = connection.prepareStatement("insert into batch_probe values (?)")) {
                for (int n = 1; n <= 4; n++) {
                    insert.setInt(1, n);
                    insert.addBatch();
                }
                // Rows folded into one statement have no count of their own (the driver folds
                // them in powers of two, so four rows are one statement; sent one by one, each would count 1).
                assertThat(insert.executeBatch()).containsOnly(Statement.SUCCESS_NO_INFO).hasSize(4);
            }
            try (var rows = statement.executeQuery("select count(*) from batch_probe")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(4);
            }
        });
    }

    private interface Probe {
        void run(Connection connection, Statement statement) throws SQLException;
    }

    /** Runs {@code probe} on one of the pool's connections in a transaction that is rolled back, taking its tables with it. */
    private void inRolledBackTransaction(Probe probe) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                probe.run(connection, statement);
            } finally {
                connection.rollback();
            }
        }
    }
}
