package io.omnihub.hub.polling;

import io.omnihub.routes.poll.PollLeases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Poll leases in PostgreSQL: a lease is a transaction holding a transaction-scoped advisory lock on
 * the instance, so it ends with the transaction, also when a node dies; the checkpoint is written in
 * that same transaction. Every hub node sharing the database sees the same leases.
 *
 * <p>The lease keeps one database connection for the length of a poll, including the call to the
 * channel; the pool is sized for it.
 */
public final class JdbcPollLeases implements PollLeases {

    // First half of the two-key advisory lock: keeps poll leases apart from any other lock user.
    private static final int LOCK_NAMESPACE = 0x706F6C6C; // "poll"

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcPollLeases(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public Optional<PollLease> tryAcquire(String connectorId, String instanceId) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            if (!tryLock(connection, connectorId + "/" + instanceId)) {
                connection.rollback();
                connection.close();
                return Optional.empty();
            }
            return Optional.of(new Lease(connection, connectorId, instanceId, read(connection, connectorId, instanceId)));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("could not take the poll lease of " + connectorId + "/" + instanceId
                    + ": " + e.getMessage(), e);
        }
    }

    private static boolean tryLock(Connection connection, String key) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, LOCK_NAMESPACE);
            lock.setString(2, key);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static Optional<String> read(Connection connection, String connectorId, String instanceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select checkpoint from hub_poll_checkpoint where connector = ? and instance = ?")) {
            select.setString(1, connectorId);
            select.setString(2, instanceId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
            connection.close();
        } catch (SQLException ignored) {
            // the connection is gone; the lease went with it
        }
    }

    private final class Lease implements PollLease {
        private final Connection connection;
        private final String connectorId;
        private final String instanceId;
        private Optional<String> checkpoint;

        Lease(Connection connection, String connectorId, String instanceId, Optional<String> checkpoint) {
            this.connection = connection;
            this.connectorId = connectorId;
            this.instanceId = instanceId;
            this.checkpoint = checkpoint;
        }

        @Override
        public Optional<String> checkpoint() {
            return checkpoint;
        }

        @Override
        public void commit(String next) {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "insert into hub_poll_checkpoint (connector, instance, checkpoint, updated_at) values (?, ?, ?, ?) "
                            + "on conflict (connector, instance) do update set checkpoint = excluded.checkpoint, "
                            + "updated_at = excluded.updated_at")) {
                upsert.setString(1, connectorId);
                upsert.setString(2, instanceId);
                upsert.setString(3, next);
                upsert.setTimestamp(4, Timestamp.from(clock.instant()));
                upsert.executeUpdate();
                connection.commit();
                // The commit ended the transaction and with it the lock: take it again for the next batch.
                if (!tryLock(connection, connectorId + "/" + instanceId)) {
                    throw new IllegalStateException("poll lease of " + connectorId + "/" + instanceId + " was taken over");
                }
                checkpoint = Optional.of(next);
            } catch (SQLException e) {
                throw new IllegalStateException("could not commit the checkpoint of " + connectorId + "/" + instanceId
                        + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            closeQuietly(connection);
        }
    }
}
