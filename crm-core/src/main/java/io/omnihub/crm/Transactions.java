package io.omnihub.crm;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One PostgreSQL transaction around some JDBC work; shared by the core and its automation engine. */
public final class Transactions {

    /** JDBC work inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a transaction that is always rolled back: whatever it wrote is seen by
     * itself only, and never kept (a dry run of the automation).
     */
    public static <T> T rolledBack(DataSource ds, Work<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                try {
                    c.rollback();
                } finally {
                    c.setAutoCommit(auto);
                }
            }
        }
    }

    /**
     * Runs {@code work} in one transaction on a connection of its own: committed when it returns,
     * rolled back when it throws. The connection's auto-commit is restored before it goes back to
     * the pool. Retrying a lost race is the caller's business: what counts as one differs.
     */
    public static <T> T once(DataSource ds, Work<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException re) {
                    e.addSuppressed(re);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // the connection is being closed anyway
                }
            }
        }
    }
}
