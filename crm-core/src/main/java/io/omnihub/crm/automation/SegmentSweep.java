package io.omnihub.crm.automation;

import io.omnihub.crm.SweepClaims;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps segments and RFM current as time passes, when no event arrives: conditions over {@code now}
 * ("no order in 30 days", "birthday this month") and RFM recency change with the clock alone.
 *
 * <ul>
 *   <li>The <b>sweep</b> re-evaluates every segment in force (and RFM) for every customer, once per
 *       period of the configured interval across the cluster ({@link SweepClaims}, job
 *       {@value #SWEEP_JOB}). A customer it finds entering a segment starts the segment's journeys as an
 *       event's entry would, with a {@value #ENTERED} trigger event.</li>
 *   <li>A <b>backfill</b> evaluates one segment over every customer when its definition is new or
 *       changed (job {@code segment-backfill:<segment>:<version>}), before the sweep includes it.
 *       Whoever it finds matching becomes a member; only journeys whose trigger says
 *       {@code on-backfill: true} enroll them, so defining a segment does not message everyone who
 *       already matches.</li>
 * </ul>
 * Both walk the customers in batches by id (keyset paging), each batch one transaction that locks
 * its customers' rows as applying their events does, so a sweep and the events of a customer never
 * interleave, and an entry is recorded once however often or on however many nodes it is evaluated.
 */
public final class SegmentSweep {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentSweep.class);

    /** The job name of the periodic sweep in {@link SweepClaims}. */
    public static final String SWEEP_JOB = "segment-sweep";
    /** The type of the trigger event of an enrollment a sweep or backfill starts. */
    public static final String ENTERED = "segment.entered";
    /** The connector and instance in the {@code source} of that event: {@code /connectors/hub/segments}. */
    static final String SOURCE_CONNECTOR = "hub";
    static final String SOURCE_INSTANCE = "segments";

    private final Transactions tx;
    private final Clock clock;
    private final Automation automation;

    SegmentSweep(Transactions tx, Clock clock, Automation automation) {
        this.tx = tx;
        this.clock = clock;
        this.automation = automation;
    }

    /** What one sweep or backfill did. */
    public record Result(String job, String period, long customers, long entered, long left, long enrolled, long failed) {

        /** A line for operators, kept as the claim's outcome. */
        public String outcome() {
            return customers + " customers, " + entered + " entered, " + left + " left, " + enrolled + " enrolled"
                    + (failed == 0 ? "" : ", " + failed + " failed");
        }
    }

    /** Counts of a running sweep. */
    static final class Tally {
        long customers;
        long entered;
        long left;
        long enrolled;
        long failed;
        /** The last customer of the batch: the next one starts after it. */
        UUID last;

        Result result(String job, String period) {
            return new Result(job, period, customers, entered, left, enrolled, failed);
        }
    }

    /**
     * How often the sweep runs and how it walks.
     *
     * @param interval  one sweep per period of this length, counted from the epoch in UTC (see {@link #period})
     * @param batchSize customers per batch, each batch one transaction holding their rows locked
     * @param lease     how long a claim is a node's before another node may take it over (the node
     *                  died mid-sweep); a sweep that outlasts it may run twice at once, which is harmless
     */
    public record Schedule(Duration interval, int batchSize, Duration lease) {
        public Schedule {
            if (interval.toSeconds() < 60 || batchSize < 1 || lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("a sweep needs an interval of a minute or more, a batch of one or more and a lease");
            }
        }
    }

    /**
     * Does what is due now, on this node if no other node has it: first the backfill of each segment
     * whose definition changed since its last backfill, then the sweep of the current period (see
     * {@link #period}) when it has not run yet. Safe to call from every node, as often as wanted.
     *
     * @return what ran here
     */
    public List<Result> runDue(SweepClaims claims, Schedule schedule) {
        Duration interval = schedule.interval();
        int batchSize = schedule.batchSize();
        Duration lease = schedule.lease();
        List<Result> out = new ArrayList<>();
        Map<String, Backfilled> done = backfilled();
        List<SegmentDefinition> current = new ArrayList<>();
        for (SegmentDefinition s : automation.definitions().segments()) {
            String version = version(s);
            Backfilled last = done.get(s.id());
            if (last != null && last.version.equals(version)) {
                current.add(s);
                continue;
            }
            // the period names the state it replaces, so a definition changed back to an earlier one is backfilled again
            String job = "segment-backfill:" + s.id() + ":" + version;
            String period = last == null ? "new" : "after:" + last.version + "@" + last.at;
            if (claims.claim(job, period, lease)) {
                Result r = backfill(s, version, batchSize).result(job, period);
                claims.finish(job, period, r.outcome());
                LOG.info("segment {} backfilled (version {}): {}", s.id(), version, r.outcome());
                out.add(r);
                current.add(s);
            }
        }
        boolean rfm = automation.definitions().rfm().enabled();
        if (current.isEmpty() && !rfm) {
            return out;
        }
        String period = period(clock.instant(), interval);
        if (claims.claim(SWEEP_JOB, period, lease)) {
            Result r = walk(current, rfm, false, batchSize).result(SWEEP_JOB, period);
            claims.finish(SWEEP_JOB, period, r.outcome());
            LOG.info("segment sweep {}: {}", period, r.outcome());
            out.add(r);
        }
        return out;
    }

    /**
     * Sweeps now, whatever the claims say: RFM (when enabled) and every segment in force, over every
     * customer; entries start journeys. For tests and operators; the scheduler goes through {@link #runDue}.
     */
    public Result sweep(int batchSize) {
        return walk(automation.definitions().segments(), automation.definitions().rfm().enabled(), false, batchSize)
                .result(SWEEP_JOB, period(clock.instant(), Duration.ofDays(1)));
    }

    /** Evaluates {@code segment} over every customer and records its version as backfilled. */
    Tally backfill(SegmentDefinition segment, String version, int batchSize) {
        Tally t = walk(List.of(segment), false, true, batchSize);
        tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into crm_segment_backfill (segment_id, version, backfilled_at, customers, members)
                    values (?, ?, ?, ?, (select count(*) from crm_segment_member where segment_id = ?))
                    on conflict (segment_id) do update set version = excluded.version, backfilled_at = excluded.backfilled_at,
                           customers = excluded.customers, members = excluded.members""")) {
                ps.setString(1, segment.id());
                ps.setString(2, version);
                ps.setObject(3, SqlValues.utc(clock.instant()));
                ps.setLong(4, t.customers);
                ps.setString(5, segment.id());
                return ps.executeUpdate();
            }
        });
        return t;
    }

    /** The version of a segment's definition: a digest of its condition, which alone decides membership. */
    public static String version(SegmentDefinition segment) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(segment.when().source().strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

    /**
     * The period of {@code interval} that {@code now} falls in, named by its start in UTC: a date for
     * whole days ({@code 2026-12-06}), an hour for whole hours ({@code 2026-12-06T10}), else a minute.
     * Periods are counted from the epoch, so every node names the same period alike.
     */
    public static String period(Instant now, Duration interval) {
        long seconds = Math.max(60, interval.toSeconds());
        Instant start = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), seconds) * seconds);
        if (seconds % 86_400 == 0) {
            return DAY.format(start);
        }
        return seconds % 3_600 == 0 ? HOUR.format(start) : MINUTE.format(start);
    }

    /** Walks every active profile in batches, each in its own transaction. */
    private Tally walk(java.util.Collection<SegmentDefinition> segments, boolean rfm, boolean backfill, int batchSize) {
        Tally tally = new Tally();
        if (segments.isEmpty() && !rfm) {
            return tally;
        }
        int size = Math.max(1, batchSize);
        UUID after = null;
        while (true) {
            UUID from = after;
            Tally batch = tx.retrying(c -> batch(c, from, size, segments, rfm, backfill));
            if (batch.last == null) {
                return tally;
            }
            tally.customers += batch.customers;
            tally.entered += batch.entered;
            tally.left += batch.left;
            tally.enrolled += batch.enrolled;
            tally.failed += batch.failed;
            after = batch.last;
        }
    }

    private Tally batch(Connection c, UUID after, int size, java.util.Collection<SegmentDefinition> segments, boolean rfm, boolean backfill)
            throws SQLException {
        List<UUID> page = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(after == null
                ? "select id from crm_customer where status = 'active' order by id limit ?"
                : "select id from crm_customer where status = 'active' and id > ? order by id limit ?")) {
            int i = 1;
            if (after != null) {
                ps.setObject(i++, after);
            }
            ps.setInt(i, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(rs.getObject(1, UUID.class));
                }
            }
        }
        if (page.isEmpty()) {
            return new Tally();
        }
        // then the profile locks the apply path takes, in the same (id) order; a profile merged away
        // meanwhile drops out here, and the next page still starts after this one
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select id from crm_customer where id = any(?) and status = 'active' order by id for update")) {
            ps.setArray(1, c.createArrayOf("uuid", page.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        Tally t = new Tally();
        t.last = page.get(page.size() - 1);
        if (ids.isEmpty()) {
            return t;
        }
        Instant now = clock.instant();
        Savepoint whole = c.setSavepoint();
        try {
            automation.run(c, now).swept(ids, segments, rfm, backfill, t);
            c.releaseSavepoint(whole);
        } catch (RuntimeException | SQLException | StackOverflowError e) {
            if (!AutomationFailures.poison(e)) {
                throw e;
            }
            c.rollback(whole);
            LOG.error("segment sweep failed for a batch of {} customers ({}); sweeping them one by one to isolate the cause",
                    ids.size(), AutomationFailures.describe(e), AutomationFailures.loggable(e));
            t = new Tally();
            // a definition that trips over one customer must not hold back the others
            for (UUID id : ids) {
                Savepoint one = c.setSavepoint();
                try {
                    automation.run(c, now).swept(List.of(id), segments, rfm, backfill, t);
                    c.releaseSavepoint(one);
                } catch (RuntimeException | SQLException | StackOverflowError e1) {
                    if (!AutomationFailures.poison(e1)) {
                        throw e1;
                    }
                    c.rollback(one);
                    t.failed++;
                    LOG.error("segment sweep skipped customer {}: {}", id, AutomationFailures.describe(e1));
                }
            }
        }
        t.last = page.get(page.size() - 1);
        return t;
    }

    /** The version each segment was last backfilled with, and when. */
    private Map<String, Backfilled> backfilled() {
        return tx.retrying(c -> {
            Map<String, Backfilled> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select segment_id, version, backfilled_at from crm_segment_backfill");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Backfilled(rs.getString(2), rs.getObject(3, java.time.OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        });
    }

    private record Backfilled(String version, Instant at) {
    }
}
