package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the timeline's monthly partitions ({@code crm_timeline_YYYY_MM}, by the month the core
 * records an entry in, UTC) before they are needed: the month of the clock's time and the one after
 * it, once per month and node, before the core applies a batch. An entry whose month has no partition
 * still lands in {@code crm_timeline_default} (migration V16), so a month that could not be created
 * costs speed, never an entry.
 */
final class TimelinePartitions {

    /**
     * How long making a partition waits for the timeline's lock. Making one locks the whole table,
     * and every batch would queue behind a wait for a long report; the next month's partition is made
     * a month ahead, so it can wait for a quieter moment.
     */
    static final Duration LOCK_WAIT = Duration.ofSeconds(2);
    /** The pause before trying again after a failure, so a busy or unreachable database costs one try, not one per batch. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(TimelinePartitions.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'crm_timeline_'yyyy'_'MM");

    private final DataSource ds;
    /** The month whose partitions this node made sure of last; null before the first batch. */
    private volatile YearMonth ensured;
    /** When to try again after a failure; null when the last try did not fail. */
    private volatile Instant retryAt;
    /** One thread of the node tries at a time; the others apply their batches meanwhile. */
    private final AtomicBoolean trying = new AtomicBoolean();

    TimelinePartitions(DataSource ds) {
        this.ds = ds;
    }

    /** Makes sure the partitions of {@code now}'s month and the next exist; at once when it did so for this month before. */
    void ensureFor(Instant now) {
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        Instant pausedUntil = retryAt;
        if (month.equals(ensured) || (pausedUntil != null && now.isBefore(pausedUntil)) || !trying.compareAndSet(false, true)) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            create(c, month);
            create(c, month.plusMonths(1));
            ensured = month;
            retryAt = null;
        } catch (SQLException e) {
            // Meanwhile the month's entries, if it has no partition yet, go to the default partition.
            retryAt = now.plus(RETRY_AFTER);
            LOG.warn("could not make the timeline's partitions for {} (tried again in {} min): {}", month, RETRY_AFTER.toMinutes(),
                    SqlStates.describe(e));
        } finally {
            trying.set(false);
        }
    }

    /** The partition's name, e.g. {@code crm_timeline_2026_12}. */
    static String name(YearMonth month) {
        return NAME.format(month);
    }

    private static void create(Connection c, YearMonth month) throws SQLException {
        String name = name(month);
        c.setAutoCommit(true);
        try (PreparedStatement exists = c.prepareStatement("select to_regclass(?) is not null")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
        }
        String from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        String to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("set local lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
            s.execute("create table " + name + " partition of crm_timeline for values from ('" + from + "') to ('" + to + "')");
            c.commit();
            LOG.info("timeline partition {} made for entries recorded from {} to {}", name, from, to);
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
                throw e;
            }
            switch (SqlStates.state(e)) {
                // Another node made it first.
                case "42P07", "23505" -> { }
                // The month lies (partly) within the entries recorded before the timeline was
                // partitioned (crm_timeline_earlier): they stay there, as later ones in their month.
                case "42P17" -> LOG.debug("timeline partition {} not made: {}", name, SqlStates.describe(e));
                // The default partition holds entries of that month already, recorded while it had
                // none: they stay there, read like the others.
                case "23514" -> LOG.warn("timeline partition {} not made: crm_timeline_default holds entries of that month", name);
                default -> throw e;
            }
        } finally {
            c.setAutoCommit(true);
        }
    }
}
