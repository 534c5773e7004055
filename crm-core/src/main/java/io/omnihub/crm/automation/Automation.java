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
        } catch (RuntimeException | SQLException e) {
            if (!poison(e)) {
                throw e;
            }
            c.rollback(whole);
            LOG.error("automation failed for a batch of {} events; running it event by event to isolate the cause", events.size(), e);
        }
        // A definition that trips over one event must not hold back the others, nor the events
        // themselves: they stay applied, and only the failing event's automation is skipped.
        for (int i = 0; i < events.size() && i < result.outcomes().size(); i++) {
            Savepoint one = c.setSavepoint();
            try {
                new AutomationRun(c, now, in, versions, guards).applied(List.of(events.get(i)), new BatchResult(List.of(result.outcomes().get(i))));
                c.releaseSavepoint(one);
            } catch (RuntimeException | SQLException e) {
                if (!poison(e)) {
                    throw e;
                }
                c.rollback(one);
                LOG.error("automation skipped for event {}: {}", events.get(i).id(), e.toString());
            }
        }
    }

    /**
     * Whether {@code e} comes from a definition or the data (and so would fail again), rather than
     * from a race or the database's state (retried with the whole transaction).
     */
    private static boolean poison(Exception e) {
        if (e instanceof io.omnihub.crm.CrmException) {
            return false;
        }
        if (e instanceof SQLException sql) {
            String state = Sql.state(sql);
            return state.startsWith("22") || (state.startsWith("23") && !state.equals("23505") && !state.equals("23503"));
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // timers

    /**
     * Fires up to {@code max} timers that are due by the clock, each in its own transaction, and
     * returns how many fired. Safe to call from any number of nodes and threads at once.
     */
    public int fireDueTimers(int max) {
        int fired = 0;
        while (fired < max) {
            Boolean one = Sql.transaction(ds, this::fireOne);
            if (!one) {
                break;
            }
            fired++;
        }
        return fired;
    }

    private Boolean fireOne(Connection c) throws SQLException {
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
        AutomationRun run = new AutomationRun(c, now, definitions.get(), versions, guards);
        String outcome;
        Savepoint firing = c.setSavepoint();
        try {
            outcome = "journey".equals(kind) ? run.fireJourneyTimer(enrollment, waitSeq) : run.fireTaskTimer(task);
            c.releaseSavepoint(firing);
        } catch (RuntimeException | SQLException e) {
            if (!poison(e)) {
                throw e;
            }
            // marked fired with the reason, so a timer that cannot fire never blocks the ones after it
            c.rollback(firing);
            outcome = "failed: " + e;
            LOG.error("timer {} ({}) could not fire and is set aside", id, kind, e);
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
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, customer_id, kind, connector, instance, recipient_type, recipient_namespace, recipient_value, payload::text
                      from crm_action where status = 'planned' and not_before <= ?
                     order by not_before, created_at, id limit ? for update skip locked
                    """)) {
                ps.setObject(1, Sql.utc(now));
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Identity recipient = rs.getString(6) == null ? null : new Identity(rs.getString(6), rs.getString(8), rs.getString(7));
                        due.add(new PlannedAction(rs.getString(1), rs.getObject(2, UUID.class).toString(), rs.getString(3), rs.getString(4),
                                rs.getString(5), recipient, CelValues.readMap(rs.getString(9))));
                    }
                }
            }
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
                    """)) {
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
            StringBuilder sql = new StringBuilder("""
                    select id, customer_id, origin, kind, connector, instance, recipient_type, recipient_value, payload::text, marketing,
                           campaign, status, reason, attempts, channel_reference, not_before, created_at, updated_at
                      from crm_action where true""");
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
                        out.add(new ActionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), Sql.mask(rs.getString(8)), CelValues.readMap(rs.getString(9)),
                                rs.getBoolean(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getInt(14), rs.getString(15),
                                Sql.instant(rs, 16), Sql.instant(rs, 17), Sql.instant(rs, 18)));
                    }
                }
            }
            return out;
        });
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
