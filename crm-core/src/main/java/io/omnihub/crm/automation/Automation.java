package io.omnihub.crm.automation;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.crm.BatchResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automation half of the CRM core (DESIGN §5): rules, tags, scores, RFM, segments and journeys
 * with durable timers, and the outbox of actions for the channels. Thread-safe; any number of hub
 * nodes may share one database.
 *
 * <ul>
 *   <li>{@link io.omnihub.crm.CrmCore#apply} calls {@link #applied} inside its transaction, so what
 *       rules and journeys do commits with the events that caused it (exactly-once effect).</li>
 *   <li>{@link #fireDueTimers} fires due timers, each in its own transaction, claimed with
 *       {@code FOR UPDATE SKIP LOCKED}: one node fires a timer however many run.</li>
 *   <li>{@link #drainOutbox} hands planned channel actions to an {@link ActionQueue}; the dispatcher
 *       reports back with {@link #actionSent}, {@link #actionRetrying} and {@link #actionFailed}.</li>
 * </ul>
 * Time is the injected clock's, so tests move time instead of waiting.
 */
public final class Automation {

    private static final Logger LOG = LoggerFactory.getLogger(Automation.class);

    private final DataSource ds;
    private final Clock clock;
    private final GuardSettings guards;
    private final JourneyVersions versions = new JourneyVersions();
    private final AtomicReference<Definitions> definitions = new AtomicReference<>(Definitions.NONE);

    public Automation(DataSource ds, Clock clock, GuardSettings guards) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guards = Objects.requireNonNull(guards, "guards");
    }

    /** Puts {@code next} in force for everything evaluated from now on; running enrollments keep their version. */
    public void use(Definitions next) {
        definitions.set(Objects.requireNonNull(next, "next"));
    }

    public Definitions definitions() {
        return definitions.get();
    }

    public GuardSettings guards() {
        return guards;
    }

    public Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------------------------------
    // events

    /**
     * Runs rules, RFM, segments and journeys for the events of a batch the CRM core applied, inside
     * the core's transaction on {@code c} (the customers' rows are locked by it).
     */
    public void applied(Connection c, List<CustomerEvent> events, BatchResult result, Instant now) throws SQLException {
        Definitions in = definitions.get();
        Savepoint whole = c.setSavepoint();
        try {
            new AutomationRun(c, now, in, versions, guards).applied(events, result);
            c.releaseSavepoint(whole);
            return;
        } catch (RuntimeException | SQLException | StackOverflowError e) {
            if (!poison(e)) {
                throw e;
            }
            c.rollback(whole);
            LOG.error("automation failed for a batch of {} events ({}); running it event by event to isolate the cause",
                    events.size(), describe(e), loggable(e));
        }
        // A definition that trips over one event must not hold back the others, nor the events
        // themselves: they stay applied, and only the failing event's automation is skipped.
        for (int i = 0; i < events.size() && i < result.outcomes().size(); i++) {
            Savepoint one = c.setSavepoint();
            try {
                new AutomationRun(c, now, in, versions, guards).applied(List.of(events.get(i)), new BatchResult(List.of(result.outcomes().get(i))));
                c.releaseSavepoint(one);
            } catch (RuntimeException | SQLException | StackOverflowError e) {
                if (!poison(e)) {
                    throw e;
                }
                c.rollback(one);
                LOG.error("automation skipped for event {}: {}", events.get(i).id(), describe(e));
            }
        }
    }

    /**
     * Whether {@code e} comes from a definition or the data (and so would fail again), rather than
     * from a race or the database's state (retried with the whole transaction).
     */
    private static boolean poison(Throwable e) {
        if (e instanceof StackOverflowError) {
            return true; // data nested too deep for some evaluation: it would overflow again
        }
        if (e instanceof io.omnihub.crm.CrmException) {
            return false;
        }
        if (e instanceof SQLException sql) {
            String state = Sql.state(sql);
            return state.startsWith("22") || (state.startsWith("23") && !state.equals("23505") && !state.equals("23503"));
        }
        return true;
    }

    /**
     * What went wrong, fit for logs and the database: for a database error only its SQL state and
     * the exception's class (PostgreSQL's messages and details quote the offending values, which are
     * personal data), otherwise the class and the first line of the message (the engine's own
     * messages name definitions, never values).
     */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return e.getClass().getSimpleName() + (t == e ? "" : " (" + t.getClass().getSimpleName() + ")")
                        + ", SQL state " + (sql.getSQLState() == null ? "unknown" : sql.getSQLState());
            }
        }
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getName();
        }
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        return e.getClass().getName() + ": " + (first.length() > 500 ? first.substring(0, 500) + "..." : first);
    }

    /** The exception to log with its stack trace, or null when it carries a database error (whose text quotes values). */
    private static Throwable loggable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return null;
            }
        }
        return e instanceof StackOverflowError ? null : e;
    }

    // ------------------------------------------------------------------------------------------
    // timers

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
                one = Sql.transaction(ds, c -> fireOne(c, claimed));
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
        String error = describe(cause);
        try {
            Sql.transaction(ds, c -> {
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
                    ps.setObject(3, Sql.utc(now));
                    ps.setInt(4, MAX_TIMER_ATTEMPTS);
                    ps.setString(5, "failed: " + MAX_TIMER_ATTEMPTS + " attempts, last: " + error);
                    ps.setObject(6, Sql.utc(now));
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
            LOG.warn("could not record the failure of timer {}: {}", id, describe(e));
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
            ps.setObject(1, Sql.utc(now));
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
        AutomationRun run = new AutomationRun(c, now, definitions.get(), versions, guards);
        String outcome;
        Savepoint firing = c.setSavepoint();
        try {
            outcome = "journey".equals(kind) ? run.fireJourneyTimer(enrollment, waitSeq) : run.fireTaskTimer(task);
            c.releaseSavepoint(firing);
        } catch (RuntimeException | SQLException | StackOverflowError e) {
            if (!poison(e)) {
                throw e;
            }
            // marked fired with the reason, so a timer that cannot fire never blocks the ones after it
            c.rollback(firing);
            outcome = "failed: " + describe(e);
            LOG.error("timer {} ({}) could not fire and is set aside: {}", id, kind, outcome, loggable(e));
        }
        try (PreparedStatement ps = c.prepareStatement("update crm_timer set fired_at = ?, outcome = ? where id = ?")) {
            ps.setObject(1, Sql.utc(now));
            ps.setString(2, outcome);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
        LOG.debug("timer {} ({}) fired: {}", id, kind, outcome);
        return true;
    }

    /** How many timers could not fire and were set aside (outcome {@code failed: ...}). */
    public long failedTimers() {
        return Sql.transaction(ds, c -> {
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
        return Sql.transaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select min(due_at) from crm_timer where fired_at is null")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.ofNullable(Sql.instant(rs, 1));
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // outbox

    /**
     * Hands up to {@code max} planned channel actions that are due (quiet hours over) to
     * {@code queue} and marks them queued, in one transaction: when the queue fails nothing is
     * marked. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so nodes never hand over the
     * same action twice at once; a crash after the queue accepted them hands them over again, and
     * the dispatcher recognises them by id.
     *
     * @return how many were handed over
     */
    public int drainOutbox(int max, ActionQueue queue) {
        return Sql.transaction(ds, c -> {
            Instant now = clock.instant();
            List<PlannedAction> due = new ArrayList<>();
            List<PlannedAction> marketing = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, customer_id, kind, connector, instance, recipient_type, recipient_namespace, recipient_value, payload::text,
                           marketing
                      from crm_action where status = 'planned' and not_before <= ?
                     order by not_before, created_at, id limit ? for update skip locked
                    """)) {
                ps.setObject(1, Sql.utc(now));
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Identity recipient = rs.getString(6) == null ? null : new Identity(rs.getString(6), rs.getString(8), rs.getString(7));
                        PlannedAction action = new PlannedAction(rs.getString(1), rs.getObject(2, UUID.class).toString(), rs.getString(3),
                                rs.getString(4), rs.getString(5), recipient, CelValues.readMap(rs.getString(9)));
                        due.add(action);
                        if (rs.getBoolean(10)) {
                            marketing.add(action);
                        }
                    }
                }
            }
            java.util.Set<String> held = heldAtTheDoor(c, now, marketing);
            due.removeIf(a -> held.contains(a.id()));
            if (due.isEmpty()) {
                return 0;
            }
            queue.enqueue(due);
            try (PreparedStatement ps = c.prepareStatement("update crm_action set status = 'queued', updated_at = ? where id = any(?)")) {
                ps.setObject(1, Sql.utc(now));
                ps.setArray(2, c.createArrayOf("text", due.stream().map(PlannedAction::id).toArray()));
                ps.executeUpdate();
            }
            return due.size();
        });
    }

    /**
     * The guards that can change while a marketing message waits, asked again as it is about to go
     * out: the customer's consent as it is now (on the profile the customer was merged into, if so),
     * and quiet hours. Messages without consent are recorded as suppressed; messages that would go
     * out in quiet hours get {@code not_before} at their end and stay planned. Returns the ids of both kinds.
     */
    private java.util.Set<String> heldAtTheDoor(Connection c, Instant now, List<PlannedAction> marketing) throws SQLException {
        java.util.Set<String> held = new java.util.HashSet<>();
        if (marketing.isEmpty()) {
            return held;
        }
        Map<UUID, Guarded> profiles = guarded(c, marketing.stream().map(a -> UUID.fromString(a.customerId())).toList());
        for (PlannedAction a : marketing) {
            Guarded g = profiles.get(UUID.fromString(a.customerId()));
            String refused = g.consentRefusal(guards);
            if (refused != null) {
                suppress(c, a.id(), refused, now);
                held.add(a.id());
                continue;
            }
            Instant quietEnd = guards.notBefore(now, g.zone(guards));
            if (quietEnd.isAfter(now)) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update crm_action set not_before = ?, reason = ?, updated_at = ? where id = ?")) {
                    ps.setObject(1, Sql.utc(quietEnd));
                    ps.setString(2, "quiet hours: deferred to " + quietEnd);
                    ps.setObject(3, Sql.utc(now));
                    ps.setString(4, a.id());
                    ps.executeUpdate();
                }
                held.add(a.id());
            }
        }
        return held;
    }

    /** A customer's surviving profile as the guards at the door read it: consent and time zone as they are now. */
    private record Guarded(UUID id, String marketingConsent, String zone) {
        String consentRefusal(GuardSettings guards) {
            String refused = ActionPlanner.consentRefusal(
                    "true".equals(marketingConsent) ? Boolean.TRUE : "false".equals(marketingConsent) ? Boolean.FALSE : null, guards);
            return refused == null ? null : refused + " (checked again when it was due to go out)";
        }

        java.time.ZoneId zone(GuardSettings guards) {
            return ActionPlanner.zoneOf(id, zone, guards);
        }
    }

    /** For each of {@code customers}: its surviving profile's consent and time zone. */
    private Map<UUID, Guarded> guarded(Connection c, List<UUID> customers) throws SQLException {
        Map<UUID, UUID> surviving = Sql.surviving(c, new java.util.HashSet<>(customers));
        Map<UUID, Guarded> byProfile = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, consent->'marketing'->>'v', attributes->?->>'v' "
                + "from crm_customer where id = any(?)")) {
            ps.setString(1, guards.zoneAttribute());
            ps.setArray(2, c.createArrayOf("uuid", new java.util.HashSet<>(surviving.values()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    byProfile.put(id, new Guarded(id, rs.getString(2), rs.getString(3)));
                }
            }
        }
        Map<UUID, Guarded> out = new java.util.HashMap<>();
        for (UUID customer : customers) {
            UUID profile = surviving.getOrDefault(customer, customer);
            out.put(customer, byProfile.getOrDefault(profile, new Guarded(profile, null, null)));
        }
        return out;
    }

    private static void suppress(Connection c, String actionId, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update crm_action set status = 'suppressed', reason = ?, updated_at = ? "
                + "where id = ? and status in ('planned', 'queued', 'retrying')")) {
            ps.setString(1, reason);
            ps.setObject(2, Sql.utc(now));
            ps.setString(3, actionId);
            ps.executeUpdate();
        }
        LOG.info("automation: {} suppressed as it was due to go out: {}", actionId, reason);
    }

    /**
     * What the last look before a message goes to its channel found: it may be sent
     * ({@link #send()}), it was suppressed (recorded; not to be sent), or it waits until
     * {@code heldUntil}, the end of the customer's quiet hours.
     */
    public record Clearance(String suppressed, Instant heldUntil) {
        static final Clearance SEND = new Clearance(null, null);

        public boolean send() {
            return suppressed == null && heldUntil == null;
        }
    }

    /**
     * Asks the guards that can change while a marketing message waits (on {@code hub.actions}, or
     * between retries) once more, right before it is sent: the customer's current consent, on the
     * surviving profile after merges (none: recorded as suppressed), and quiet hours in the
     * customer's time zone (inside them: held to their end, the action's status unchanged). Other
     * actions are always clear.
     */
    public Clearance clearToSend(String actionId) {
        return Sql.transaction(ds, c -> {
            Instant now = clock.instant();
            UUID customer;
            try (PreparedStatement ps = c.prepareStatement("select customer_id from crm_action where id = ? and marketing "
                    + "and status in ('planned', 'queued', 'retrying')")) {
                ps.setString(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Clearance.SEND;
                    }
                    customer = rs.getObject(1, UUID.class);
                }
            }
            Guarded g = guarded(c, List.of(customer)).get(customer);
            String refused = g.consentRefusal(guards);
            if (refused != null) {
                suppress(c, actionId, refused, now);
                return new Clearance(refused, null);
            }
            Instant quietEnd = guards.notBefore(now, g.zone(guards));
            if (quietEnd.isAfter(now)) {
                try (PreparedStatement ps = c.prepareStatement("update crm_action set reason = ?, updated_at = ? where id = ?")) {
                    ps.setString(1, "quiet hours: held to " + quietEnd);
                    ps.setObject(2, Sql.utc(now));
                    ps.setString(3, actionId);
                    ps.executeUpdate();
                }
                return new Clearance(null, quietEnd);
            }
            return Clearance.SEND;
        });
    }

    /** The status of an action ({@code planned}, {@code queued}, {@code sent}, ...), if it exists. */
    public Optional<String> actionStatus(String actionId) {
        return Sql.transaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select status from crm_action where id = ?")) {
                ps.setString(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** What {@link #claimAction} found. */
    public enum Claim {
        /** The action is the caller's to send now: it is marked {@code sending}. */
        CLAIMED,
        /**
         * Another copy of the action is being sent (claimed less than the lease ago), or the outbox has not
         * recorded it as queued yet: look again later.
         */
        IN_FLIGHT,
        /** Nothing to send: it was sent or settled already, or there is no such action. */
        SETTLED,
        /**
         * A send was interrupted (claimed longer than the lease ago, never recorded) and the action's kind
         * has no idempotency key: it is marked {@code unknown} for an operator instead of being sent again.
         */
        UNKNOWN
    }

    /**
     * Claims an action for sending, atomically: of any number of copies of one action on
     * {@code hub.actions}, on any number of nodes, one gets {@link Claim#CLAIMED}. Queued, retrying
     * and failed (replayed from the dead-letter queue) actions can be claimed. An action still
     * {@code sending} after {@code lease} was interrupted between the channel and the record of its
     * answer: it is claimed again when {@code resendable} (its kind passes the action id to the
     * channel as an idempotency key), else marked {@code unknown}.
     */
    public Claim claimAction(String actionId, java.time.Duration lease, boolean resendable) {
        return Sql.transaction(ds, c -> {
            Instant now = clock.instant();
            // Lock the row first and decide on its latest committed state. A conditional UPDATE alone
            // would judge the version from before a concurrent outbox drain committed 'queued' (the
            // drain holds the row while the broker takes the message), miss it, and drop the copy.
            Instant claimedAt;
            try (PreparedStatement ps = c.prepareStatement("select status, claimed_at from crm_action where id = ? for update")) {
                ps.setString(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    String found = rs.next() ? rs.getString(1) : null;
                    if ("planned".equals(found)) {
                        // the outbox has not committed 'queued' yet (or failed to): it is queued (again) shortly
                        return Claim.IN_FLIGHT;
                    }
                    if ("queued".equals(found) || "retrying".equals(found) || "failed".equals(found)) {
                        try (PreparedStatement claim = c.prepareStatement(
                                "update crm_action set status = 'sending', claimed_at = ?, updated_at = ? where id = ?")) {
                            claim.setObject(1, Sql.utc(now));
                            claim.setObject(2, Sql.utc(now));
                            claim.setString(3, actionId);
                            claim.executeUpdate();
                        }
                        return Claim.CLAIMED;
                    }
                    if (!"sending".equals(found)) {
                        return Claim.SETTLED;
                    }
                    claimedAt = Sql.instant(rs, 2);
                }
            }
            if (claimedAt != null && claimedAt.isAfter(now.minus(lease))) {
                return Claim.IN_FLIGHT;
            }
            try (PreparedStatement ps = c.prepareStatement(resendable
                    ? "update crm_action set claimed_at = ?, updated_at = ?, reason = ? where id = ?"
                    : "update crm_action set status = 'unknown', updated_at = ?, reason = ? where id = ?")) {
                int i = 1;
                if (resendable) {
                    ps.setObject(i++, Sql.utc(now));
                }
                ps.setObject(i++, Sql.utc(now));
                ps.setString(i++, resendable
                        ? "sent again with the same idempotency key: a send claimed at " + claimedAt + " was never recorded"
                        : "a send claimed at " + claimedAt + " was never recorded (the hub stopped, or could not record the"
                                + " channel's answer): it may or may not have reached the customer, and its kind has no"
                                + " idempotency key, so it is not sent again");
                ps.setString(i, actionId);
                ps.executeUpdate();
            }
            return resendable ? Claim.CLAIMED : Claim.UNKNOWN;
        });
    }

    /** The claimant's send failed: the action is no longer {@code sending} (its outcome is recorded next). */
    public void actionNotSent(String actionId) {
        Sql.transaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update crm_action set status = 'retrying', claimed_at = null, updated_at = ? where id = ? and status = 'sending'")) {
                ps.setObject(1, Sql.utc(clock.instant()));
                ps.setString(2, actionId);
                return ps.executeUpdate();
            }
        });
    }

    /** The channel accepted the action. */
    public void actionSent(String actionId, String channelReference, String detail) {
        outcome(actionId, "sent", detail, channelReference);
    }

    /** The channel could not take it now; it will be tried again. */
    public void actionRetrying(String actionId, String reason) {
        outcome(actionId, "retrying", reason, null);
    }

    /** The action failed for good (or its retries ran out); it is parked for an operator. */
    public void actionFailed(String actionId, String reason) {
        outcome(actionId, "failed", reason, null);
    }

    private void outcome(String actionId, String status, String reason, String channelReference) {
        Sql.transaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    update crm_action set status = ?, reason = ?, channel_reference = coalesce(?, channel_reference),
                           attempts = attempts + 1, updated_at = ?
                     where id = ? and status <> 'sent'
                    """ + ("sent".equals(status) ? "" // a copy that did not claim the action never overrides the claimant's record
                    : " and status not in ('sending', 'unknown')"))) {
                ps.setString(1, status);
                ps.setString(2, reason == null ? null : CelValues.clean(reason.length() > 2000 ? reason.substring(0, 2000) : reason));
                ps.setString(3, channelReference);
                ps.setObject(4, Sql.utc(clock.instant()));
                ps.setString(5, actionId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Actions, newest first, optionally only of one customer, status or origin ({@code journey:<id>},
     * {@code rule:<id>}). Recipients are masked.
     */
    public List<ActionRecord> actions(String customerId, String status, String origin, int limit) {
        return Sql.transaction(ds, c -> {
            StringBuilder sql = new StringBuilder("select " + ACTION_COLUMNS + " from crm_action where true");
            List<Object> params = new ArrayList<>();
            if (customerId != null) {
                sql.append(" and customer_id = ?");
                params.add(uuid(customerId).orElse(new UUID(0, 0)));
            }
            if (status != null) {
                sql.append(" and status = ?");
                params.add(status);
            }
            if (origin != null) {
                sql.append(" and origin = ?");
                params.add(origin);
            }
            sql.append(" order by created_at desc, id limit ?");
            params.add(Math.max(1, Math.min(limit, 1000)));
            List<ActionRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(action(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The columns {@link #action(ResultSet)} reads, in its order. */
    static final String ACTION_COLUMNS = """
            id, customer_id, origin, kind, connector, instance, recipient_type, recipient_value, payload::text, marketing,
            campaign, status, reason, attempts, channel_reference, not_before, created_at, updated_at""";

    /** One {@code crm_action} row read with {@link #ACTION_COLUMNS}; the recipient masked. */
    static ActionRecord action(ResultSet rs) throws SQLException {
        return new ActionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), Sql.mask(rs.getString(8)), CelValues.readMap(rs.getString(9)),
                rs.getBoolean(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getInt(14), rs.getString(15),
                Sql.instant(rs, 16), Sql.instant(rs, 17), Sql.instant(rs, 18));
    }

    // ------------------------------------------------------------------------------------------
    // tasks

    private static final String TASK_COLUMNS = "id, customer_id, title, note, assignee, manager, store, region, lead_source, origin, "
            + "status, due_at, escalate_at, escalated_at, escalated_from, created_at, completed_at, completed_by, completion_note";

    /**
     * Tasks, open ones first, then newest first; each filter may be null.
     *
     * @param assignee who has it now
     * @param store    the store it was assigned by
     * @param status   {@code open} or {@code done}
     * @param customer the customer it is about
     */
    public List<TaskView> tasks(String assignee, String store, String status, String customer, int limit) {
        return Sql.transaction(ds, c -> {
            StringBuilder sql = new StringBuilder("select " + TASK_COLUMNS + " from crm_task where true");
            List<Object> params = new ArrayList<>();
            if (assignee != null) {
                sql.append(" and assignee = ?");
                params.add(assignee);
            }
            if (store != null) {
                sql.append(" and store = ?");
                params.add(store);
            }
            if (status != null) {
                sql.append(" and status = ?");
                params.add(status);
            }
            if (customer != null) {
                sql.append(" and customer_id = ?");
                params.add(uuid(customer).orElse(new UUID(0, 0)));
            }
            sql.append(" order by status = 'open' desc, created_at desc, id limit ?");
            params.add(Math.max(1, Math.min(limit, 1000)));
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                return readTasks(ps);
            }
        });
    }

    public Optional<TaskView> task(String id) {
        Optional<UUID> uuid = uuid(id);
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        return Sql.transaction(ds, c -> task(c, uuid.get()));
    }

    private static Optional<TaskView> task(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + TASK_COLUMNS + " from crm_task where id = ?")) {
            ps.setObject(1, id);
            return readTasks(ps).stream().findFirst();
        }
    }

    /**
     * Marks a task done (the follow-up happened): it is no longer escalated.
     *
     * @throws NoSuchElementException when there is no such task
     * @throws IllegalStateException  when it is done already
     */
    public TaskView completeTask(String id, String by, String note) {
        UUID uuid = uuid(id).orElseThrow(() -> new NoSuchElementException("no task " + id));
        return Sql.transaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select status from crm_task where id = ? for update")) {
                ps.setObject(1, uuid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchElementException("no task " + id);
                    }
                    if (!"open".equals(rs.getString(1))) {
                        throw new IllegalStateException("task " + id + " is done already");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update crm_task set status = 'done', completed_at = ?, completed_by = ?, completion_note = ? where id = ?")) {
                ps.setObject(1, Sql.utc(clock.instant()));
                ps.setString(2, CelValues.clean(by));
                ps.setString(3, CelValues.clean(note));
                ps.setObject(4, uuid);
                ps.executeUpdate();
            }
            return task(c, uuid).orElseThrow();
        });
    }

    private static List<TaskView> readTasks(PreparedStatement ps) throws SQLException {
        List<TaskView> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TaskView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), Sql.instant(rs, 12),
                        Sql.instant(rs, 13), Sql.instant(rs, 14), rs.getString(15), Sql.instant(rs, 16), Sql.instant(rs, 17),
                        rs.getString(18), rs.getString(19)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // journeys and segments

    /** Enrollments of a journey, newest first; {@code status} and {@code customer} may be null. */
    public List<EnrollmentView> enrollments(String journeyId, String status, String customer, int limit) {
        return Sql.transaction(ds, c -> {
            StringBuilder sql = new StringBuilder("select id, journey_id, version, customer_id, status, step, waiting, trigger_event_id, "
                    + "started_at, updated_at, ended_at, end_reason from crm_enrollment where journey_id = ?");
            List<Object> params = new ArrayList<>(List.of(journeyId));
            if (status != null) {
                sql.append(" and status = ?");
                params.add(status);
            }
            if (customer != null) {
                sql.append(" and customer_id = ?");
                params.add(uuid(customer).orElse(new UUID(0, 0)));
            }
            sql.append(" order by started_at desc, id limit ?");
            params.add(Math.max(1, Math.min(limit, 1000)));
            List<EnrollmentView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EnrollmentView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), Sql.instant(rs, 9), Sql.instant(rs, 10),
                                Sql.instant(rs, 11), rs.getString(12)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * What {@code candidate} (one rule, journey or segment, parsed with
     * {@link DefinitionParser#parseOne}) would do for {@code customerId} now, with {@code event}
     * (null: the customer's latest fitting event), found by running it in a transaction that is rolled
     * back: nothing is kept, nothing is sent.
     *
     * @throws NoSuchElementException when there is no such customer
     * @throws DefinitionException    when the candidate does not fit with the definitions in force
     */
    public DryRun.Result dryRun(DefinitionFile candidate, String customerId, CustomerEvent event) {
        UUID customer = uuid(customerId).orElseThrow(() -> new NoSuchElementException("no customer " + customerId));
        return new DryRun(definitions.get(), guards, versions).run(ds, clock.instant(), candidate, customer, event);
    }

    /** How many enrollments of a journey are active, completed and exited. */
    public Map<String, Long> enrollmentCounts(String journeyId) {
        return Sql.transaction(ds, c -> {
            Map<String, Long> out = new LinkedHashMap<>(Map.of("active", 0L, "completed", 0L, "exited", 0L));
            try (PreparedStatement ps = c.prepareStatement("select status, count(*) from crm_enrollment where journey_id = ? group by status")) {
                ps.setString(1, journeyId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    /** Members of a segment (surviving profiles), longest members first. */
    public List<String> segmentMembers(String segmentId, int limit) {
        return Sql.transaction(ds, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select m.customer_id from crm_segment_member m join crm_customer c "
                    + "on c.id = m.customer_id and c.status = 'active' where m.segment_id = ? order by m.joined_at, m.customer_id limit ?")) {
                ps.setString(1, segmentId);
                ps.setInt(2, Math.max(1, Math.min(limit, 10_000)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** How many customers are in a segment. */
    public long segmentSize(String segmentId) {
        return Sql.transaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from crm_segment_member m join crm_customer c "
                    + "on c.id = m.customer_id and c.status = 'active' where m.segment_id = ?")) {
                ps.setString(1, segmentId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return id == null ? Optional.empty() : Optional.of(UUID.fromString(id.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
