package io.omnihub.crm.automation;

import java.sql.Savepoint;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable timers of journeys (waits) and staff tasks (escalations): fired when due by the clock,
 * each in its own transaction, claimed with {@code FOR UPDATE SKIP LOCKED} so one node fires a timer
 * however many run. A timer that cannot fire is tried again with backoff, then set aside.
 */
public final class JourneyTimers {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyTimers.class);

    private final Transactions tx;
    private final Clock clock;
    private final Automation automation;

    JourneyTimers(Transactions tx, Clock clock, Automation automation) {
        this.tx = tx;
        this.clock = clock;
        this.automation = automation;
    }

    /** After this many failed attempts a timer is set aside (outcome {@code failed: ...}). */
    static final int MAX_TIMER_ATTEMPTS = 8;
    /** The first retry of a failed timer waits this long, doubling up to {@link #TIMER_BACKOFF_MAX}. */
    static final java.time.Duration TIMER_BACKOFF = java.time.Duration.ofMinutes(1);
    static final java.time.Duration TIMER_BACKOFF_MAX = java.time.Duration.ofHours(1);

    /**
     * Fires up to {@code max} timers that are due by the clock, each in its own transaction, and
     * returns how many fired. Safe to call from any number of nodes and threads at once.
     */
    public int fireDueTimers(int max) {
        int fired = 0;
        int failed = 0;
        while (fired + failed < max) {
            java.util.concurrent.atomic.AtomicLong claimed = new java.util.concurrent.atomic.AtomicLong(-1);
            Boolean one;
            try {
                one = tx.retrying(c -> fireOne(c, claimed));
            } catch (RuntimeException e) {
                // The firing failed in a way that may pass (a race that outlasted its retries, a
                // constraint): its transaction is rolled back. The timer is tried again later and
                // set aside after MAX_TIMER_ATTEMPTS, so it never holds back the timers after it.
                if (claimed.get() < 0 || !timerFailed(claimed.get(), e)) {
                    throw e;
                }
                failed++;
                continue;
            }
            if (!one) {
                break;
            }
            fired++;
        }
        return fired;
    }

    /** Records a failed attempt of timer {@code id}; false when even that fails (the database is away). */
    private boolean timerFailed(long id, RuntimeException cause) {
        String error = AutomationFailures.describe(cause);
        try {
            tx.retrying(c -> {
                Instant now = clock.instant();
                try (PreparedStatement ps = c.prepareStatement("""
                        update crm_timer set attempts = attempts + 1, last_error = ?,
                               fired_at = case when attempts + 1 >= ? then ?::timestamptz end,
                               outcome = case when attempts + 1 >= ? then ? end,
                               due_at = ?::timestamptz + least(?::bigint * power(2, least(attempts, 30))::bigint, ?::bigint) * interval '1 second'
                         where id = ? and fired_at is null
                         returning attempts
                        """)) {
                    ps.setString(1, error);
                    ps.setInt(2, MAX_TIMER_ATTEMPTS);
                    ps.setObject(3, SqlValues.utc(now));
                    ps.setInt(4, MAX_TIMER_ATTEMPTS);
                    ps.setString(5, "failed: " + MAX_TIMER_ATTEMPTS + " attempts, last: " + error);
                    ps.setObject(6, SqlValues.utc(now));
                    ps.setLong(7, TIMER_BACKOFF.toSeconds());
                    ps.setLong(8, TIMER_BACKOFF_MAX.toSeconds());
                    ps.setLong(9, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getInt(1) >= MAX_TIMER_ATTEMPTS) {
                            LOG.error("timer {} failed {} times and is set aside: {}", id, rs.getInt(1), error);
                        } else {
                            LOG.warn("timer {} could not fire and is tried again later: {}", id, error);
                        }
                    }
                }
                return null;
            });
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not record the failure of timer {}: {}", id, AutomationFailures.describe(e));
            return false;
        }
    }

    private Boolean fireOne(Connection c, java.util.concurrent.atomic.AtomicLong claimed) throws SQLException {
        Instant now = clock.instant();
        long id;
        String kind;
        UUID enrollment;
        int waitSeq;
        UUID task;
        try (PreparedStatement ps = c.prepareStatement("select id, kind, enrollment_id, wait_seq, task_id from crm_timer "
                + "where fired_at is null and due_at <= ? order by due_at, id limit 1 for update skip locked")) {
            ps.setObject(1, SqlValues.utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                id = rs.getLong(1);
                kind = rs.getString(2);
                enrollment = rs.getObject(3, UUID.class);
                waitSeq = rs.getInt(4);
                task = rs.getObject(5, UUID.class);
            }
        }
        claimed.set(id);
        String outcome;
        Savepoint firing = c.setSavepoint();
        try {
            outcome = "journey".equals(kind) ? automation.run(c, now).fireJourneyTimer(enrollment, waitSeq)
                    : TaskEscalation.escalate(c, task, now);
            c.releaseSavepoint(firing);
        } catch (RuntimeException | SQLException | StackOverflowError e) {
            if (!AutomationFailures.poison(e)) {
                throw e;
            }
            // marked fired with the reason, so a timer that cannot fire never blocks the ones after it
            c.rollback(firing);
            outcome = "failed: " + AutomationFailures.describe(e);
            LOG.error("timer {} ({}) could not fire and is set aside: {}", id, kind, outcome, AutomationFailures.loggable(e));
        }
        try (PreparedStatement ps = c.prepareStatement("update crm_timer set fired_at = ?, outcome = ? where id = ?")) {
            ps.setObject(1, SqlValues.utc(now));
            ps.setString(2, outcome);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
        LOG.debug("timer {} ({}) fired: {}", id, kind, outcome);
        return true;
    }

    /** How many timers could not fire and were set aside (outcome {@code failed: ...}). */
    public long failedTimers() {
        return tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from crm_timer where outcome like 'failed:%'")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** When the next timer is due, if any. */
    public Optional<Instant> nextTimerDue() {
        return tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("select min(due_at) from crm_timer where fired_at is null")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.ofNullable(SqlValues.instant(rs, 1));
                }
            }
        });
    }
}
