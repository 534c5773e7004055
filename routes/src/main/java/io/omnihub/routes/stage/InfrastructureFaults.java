package io.omnihub.routes.stage;

import io.omnihub.routes.broker.BrokerUnavailableException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.SQLNonTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells a failure of the hub's own infrastructure (its database, its broker) from a failure of the
 * message. Infrastructure failures are not the message's fault (DESIGN §4): the stage waits for the
 * dependency to come back, using none of the message's attempts and parking nothing.
 *
 * <p>The whole cause chain is read, because such a failure often reaches a stage wrapped: the
 * database error of a token cache inside a connector's own exception, a JDBC error inside the CRM
 * core's {@code CrmException}.
 */
public final class InfrastructureFaults {

    /**
     * PostgreSQL SQLSTATE classes and codes that say the database (not the statement) failed:
     * connection exceptions, insufficient resources, operator intervention (shutdown, starting up,
     * recovery, query cancelled by a timeout), system errors, serialization failures and deadlocks,
     * and a read-only transaction on a standby that has not been promoted yet.
     */
    private static final Set<String> SQL_STATE_CLASSES = Set.of("08", "53", "57", "58");
    private static final Set<String> SQL_STATES = Set.of("40001", "40P01", "40003", "25006");
    /**
     * What HikariCP's proxy throws, with no SQLSTATE, for a connection the pool closed under a running
     * statement (the database went away, or the pool was closed): the pool's failure, not the
     * statement's. It is a bare {@code SQLException}, so its message is all that tells it apart.
     */
    private static final String POOL_CLOSED_CONNECTION = "Connection is closed";
    /**
     * What HikariCP's data source throws, with no SQLSTATE, when a connection is asked of a pool that
     * was closed (the hub is stopping): {@code HikariDataSource HikariDataSource (name) has been
     * closed.} The message in hand is not to blame, and must keep its attempts.
     */
    private static final String CLOSED_POOL_PREFIX = "HikariDataSource ";
    private static final String CLOSED_POOL_SUFFIX = " has been closed.";

    private InfrastructureFaults() {
    }

    /** Whether {@code failure}, or anything that caused it, is a failure of the database or the broker. */
    public static boolean causedBy(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (isInfrastructure(t)) {
                return true;
            }
            if (t instanceof SQLException sql) {
                for (SQLException next = sql.getNextException(); next != null && seen.put(next, Boolean.TRUE) == null;
                     next = next.getNextException()) {
                    if (isInfrastructure(next)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** HikariCP's two messages for a pool closed under, or before, the connection asked of it. */
    private static boolean isPoolClosed(String message) {
        return message != null && (POOL_CLOSED_CONNECTION.equals(message)
                || (message.startsWith(CLOSED_POOL_PREFIX) && message.endsWith(CLOSED_POOL_SUFFIX)));
    }

    private static boolean isInfrastructure(Throwable t) {
        if (t instanceof PerMessageStage.StageInfrastructureException || t instanceof BrokerUnavailableException) {
            return true;
        }
        if (t instanceof JMSException || t instanceof JMSRuntimeException) {
            return true;
        }
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof SQLNonTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() == null && isPoolClosed(sql.getMessage())) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() == 5) {
            String state = sql.getSQLState();
            return SQL_STATE_CLASSES.contains(state.substring(0, 2)) || SQL_STATES.contains(state);
        }
        return false;
    }
}
