package io.omnihub.crm.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import javax.sql.DataSource;

/** PostgreSQL transactions around JDBC work; the one helper of the core and its automation engine. */
public final class Transactions {

    /** JDBC work inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Which failures another try can win, and how often to try.
     *
     * @param race        failures worth another try
     * @param maxAttempts tries in all, at least 1
     */
    public record Retry(Predicate<SQLException> race, int maxAttempts) {

        /** Lock races only: serialization failures, deadlocks, lock timeouts. */
        public static Retry lockRaces(int maxAttempts) {
            return new Retry(SqlStates::lockRace, maxAttempts);
        }

        /** Lock races and key races (unique or foreign key taken meanwhile). */
        public static Retry lockAndKeyRaces(int maxAttempts) {
            return new Retry(e -> SqlStates.lockRace(e) || SqlStates.keyRace(e), maxAttempts);
        }
    }

    private final DataSource ds;
    private final Retry retry;
    private final BiFunction<String, Exception, RuntimeException> failure;

    /**
     * Transactions on {@code ds}; {@link #retrying} tries again on what {@code retry} counts as a
     * race; a database failure the helpers give up on is thrown as {@code failure} makes it (message, cause).
     */
    public Transactions(DataSource ds, Retry retry, BiFunction<String, Exception, RuntimeException> failure) {
        this.ds = java.util.Objects.requireNonNull(ds, "ds");
        this.retry = java.util.Objects.requireNonNull(retry, "retry");
        this.failure = java.util.Objects.requireNonNull(failure, "failure");
    }

    /** Whether another try can win after {@code e}, on its {@code attempt}-th try. */
    public boolean worthAnotherTry(SQLException e, int attempt) {
        return retry.race().test(e) && attempt < retry.maxAttempts();
    }

    /**
     * Runs {@code work} in one transaction on a connection of its own: committed when it returns,
     * rolled back when it throws. The connection's auto-commit is restored before it goes back to
     * the pool.
     */
    public <T> T once(Work<T> work) throws SQLException {
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

    /**
     * Runs {@code work} in a transaction that is always rolled back: whatever it wrote is seen by
     * itself only, and never kept (a dry run of the automation).
     */
    public <T> T rolledBack(Work<T> work) {
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
        } catch (SQLException e) {
            throw failure.apply(SqlStates.describe(e), e);
        }
    }

    /**
     * Runs {@code work} in one transaction, again (with jittered exponential backoff) after a failure
     * this helper's {@link Retry} counts as a race, up to its attempts.
     *
     * @throws RuntimeException as this helper's failure makes it, when it fails otherwise or keeps losing
     */
    public <T> T retrying(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (SQLException e) {
                if (worthAnotherTry(e, attempt)) {
                    backoff(attempt);
                } else {
                    throw failure.apply(SqlStates.describe(e), e);
                }
            }
        }
    }

    /**
     * Runs {@code work} in one REPEATABLE READ transaction, so several statements read one
     * consistent state; the isolation level is restored afterwards.
     */
    public <T> T read(Work<T> work) {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            int iso = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setTransactionIsolation(iso);
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure.apply(SqlStates.describe(e), e);
        }
    }

    /** Sleeps a random while that grows with {@code attempt} (at most half a second). */
    public void backoff(int attempt) {
        long max = Math.min(500, 5L << Math.min(attempt, 7));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, max + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.apply("interrupted while retrying", e);
        }
    }
}
