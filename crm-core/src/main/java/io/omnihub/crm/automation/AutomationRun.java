package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Uuids;
import io.omnihub.crm.ProfileAliases;
import io.omnihub.crm.ProfileLocks;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.BatchResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automation work of one transaction: the events of a batch the CRM core just applied, or one
 * due timer. Holds the customers' facts and their active enrollments (rows locked) while it works.
 */
final class AutomationRun {

    private static final Logger LOG = LoggerFactory.getLogger(AutomationRun.class);
    /** Steps one run may take without waiting: a journey that loops this long is ended. */
    static final int MAX_STEPS_PER_RUN = 100;

    private final Connection c;
    private final Instant now;
    private final Definitions definitions;
    private final JourneyVersions versions;
    private final ActionPlanner planner;
    private final Map<UUID, CustomerFacts> facts = new HashMap<>();
    private final Map<UUID, List<Enrollment>> enrollments = new HashMap<>();

    AutomationRun(Connection c, Instant now, Definitions definitions, JourneyVersions versions, GuardSettings guards) {
        this.c = c;
        this.now = now;
        this.definitions = definitions;
        this.versions = versions;
        this.planner = new ActionPlanner(c, now, definitions, guards);
    }

    // ------------------------------------------------------------------------------------------
    // applied events

    /** Runs rules, RFM, segments and journeys for every event of the batch that was applied, in order. */
    void applied(List<CustomerEvent> events, BatchResult result) throws SQLException {
        List<CustomerEvent> applied = new ArrayList<>();
        List<UUID> customers = new ArrayList<>();
        for (int i = 0; i < events.size() && i < result.outcomes().size(); i++) {
            BatchResult.Outcome o = result.outcomes().get(i);
            if (o.status() == BatchResult.Status.APPLIED && o.customerId() != null) {
                applied.add(events.get(i));
                customers.add(UUID.fromString(o.customerId()));
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        Map<UUID, UUID> surviving = ProfileAliases.surviving(c, new LinkedHashSet<>(customers));
        Set<UUID> ids = new LinkedHashSet<>(surviving.values());
        TraitCounters.count(c, definitions.traits(), applied, customers.stream().map(id -> surviving.getOrDefault(id, id)).toList(), now);
        loadEnrollments(surviving);
        if (applied.stream().noneMatch(e -> concerns(e.type())) && enrollments.values().stream().allMatch(List::isEmpty)) {
            return; // nothing listens to these events: no need to read the customers
        }
        facts.putAll(CustomerFacts.load(c, ids));
        TraitCounters.fill(c, facts, definitions.traits(), now);
        for (int i = 0; i < applied.size(); i++) {
            CustomerFacts f = facts.get(surviving.getOrDefault(customers.get(i), customers.get(i)));
            if (f != null) {
                evaluate(applied.get(i), f);
            }
        }
    }

    /** Whether any definition in force may act on an event of {@code type}. */
    private boolean concerns(String type) {
        return !definitions.segments().isEmpty()
                || (definitions.rfm().enabled() && isOrderEvent(type))
                || definitions.rules().stream().anyMatch(r -> r.listensTo(type))
                || definitions.journeys().stream().anyMatch(j -> type.equals(j.trigger().eventType()));
    }

    private static boolean isOrderEvent(String type) {
        return type.startsWith("order.") || type.equals("store.purchased");
    }

    /** Locks and reads the active enrollments of the batch's customers and of every profile merged into them. */
    private void loadEnrollments(Map<UUID, UUID> batchCustomers) throws SQLException {
        Set<UUID> owners = new LinkedHashSet<>(batchCustomers.values());
        List<Enrollment> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                with recursive tree(id, depth) as (
                    select s, 0 from unnest(?::uuid[]) s
                    union all
                    select a.merged_id, tree.depth + 1 from crm_customer_alias a join tree on a.surviving_id = tree.id
                     where tree.depth < 100
                )
                select %s from crm_enrollment
                 where customer_id in (select id from tree) and status = 'active' order by started_at, id for update
                """.formatted(Enrollment.COLUMNS))) {
            ps.setArray(1, c.createArrayOf("uuid", owners.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(Enrollment.read(rs));
                }
            }
        }
        Map<UUID, UUID> surviving = new java.util.HashMap<>(batchCustomers);
        for (UUID owner : owners) {
            surviving.put(owner, owner);
        }
        Set<UUID> merged = new LinkedHashSet<>();
        for (Enrollment e : found) {
            if (!surviving.containsKey(e.customerId)) {
                merged.add(e.customerId);
            }
        }
        surviving.putAll(ProfileAliases.surviving(c, merged));
        for (Enrollment e : found) {
            UUID owner = surviving.getOrDefault(e.customerId, e.customerId);
            List<Enrollment> list = enrollments.computeIfAbsent(owner, k -> new ArrayList<>());
            if (!owner.equals(e.customerId)) {
                // the customer was merged into another profile: the enrollment follows, unless the
                // survivor is in the same journey already
                boolean twin = list.stream().anyMatch(x -> x.journeyId.equals(e.journeyId))
                        || found.stream().anyMatch(x -> x != e && x.customerId.equals(owner) && x.journeyId.equals(e.journeyId));
                if (twin) {
                    end(e, "exited", "customer merged into " + owner + ", who is in this journey already");
                    continue;
                }
                e.customerId = owner;
                persist(e);
            }
            list.add(e);
        }
        for (UUID owner : new LinkedHashSet<>(surviving.values())) {
            enrollments.computeIfAbsent(owner, k -> new ArrayList<>());
        }
    }

    private void evaluate(CustomerEvent event, CustomerFacts f) throws SQLException {
        String type = event.type();
        for (RuleDefinition rule : definitions.rules()) {
            if (!rule.listensTo(type) || (rule.when() != null && !rule.when().test(vars(f, event, null)))) {
                continue;
            }
            for (int i = 0; i < rule.then().size(); i++) {
                planner.plan("rule:" + rule.id() + ":" + event.id() + ":" + i, "rule:" + rule.id(), rule.then().get(i), f,
                        vars(f, event, null));
            }
        }
        if (definitions.rfm().enabled() && isOrderEvent(type)) {
            rfm(f);
        }
        List<String> entered = segments(f);
        for (Enrollment e : List.copyOf(enrollments.getOrDefault(f.id, List.of()))) {
            if (!e.active()) {
                continue;
            }
            JourneyDefinition j = versions.get(c, definitions, e.journeyId, e.version);
            EventMatch exit = j.exitOn().stream().filter(m -> matches(m, event, vars(f, event, null))).findFirst().orElse(null);
            if (exit != null) {
                end(e, "exited", "exit event " + type + " (" + event.id() + ")");
                continue;
            }
            if ("event".equals(e.waiting) && j.step(e.step).orElse(null) instanceof JourneyDefinition.WaitFor w
                    && matches(w.event(), event, vars(f, event, e.trigger()))) {
                int target = w.onEvent() != null ? j.indexOf(w.onEvent()) : j.indexOf(w.id()) + 1;
                e.waitSeq++; // the timeout timer no longer matches
                e.waiting = null;
                run(e, j, f, target, event);
            }
        }
        for (JourneyDefinition j : definitions.journeys()) {
            JourneyDefinition.Trigger t = j.trigger();
            if (type.equals(t.eventType()) || (t.segment() != null && entered.contains(t.segment()))) {
                maybeEnroll(j, f, event);
            }
        }
    }

    private static boolean matches(EventMatch m, CustomerEvent event, Map<String, Object> vars) {
        return m.type().equals(event.type()) && (m.when() == null || m.when().test(vars));
    }

    private void rfm(CustomerFacts f) throws SQLException {
        if (f.orderCount == 0 || f.lastOrderAt == null) {
            return;
        }
        RfmSettings rfm = definitions.rfm();
        long days = Math.max(0, Duration.between(f.lastOrderAt, now).toDays());
        int r = rfm.recencyScore(days);
        int fr = RfmSettings.ascendingScore(rfm.frequency(), f.orderCount);
        int m = RfmSettings.ascendingScore(rfm.monetaryMinor(), f.totalMinor.getOrDefault(rfm.currency(), 0L));
        planner.setScore(f, "rfm_recency", r, false);
        planner.setScore(f, "rfm_frequency", fr, false);
        planner.setScore(f, "rfm_monetary", m, false);
        planner.setScore(f, "rfm", r * 100L + fr * 10L + m, false);
    }

    /**
     * Re-evaluates every segment in force for {@code f}; returns the ones entered. Memberships of
     * segments this node does not know (a file refused or missing here, an older node during a rolling
     * deploy) are left alone: only deleting the segment over the API removes them.
     */
    private List<String> segments(CustomerFacts f) throws SQLException {
        return segments(f, definitions.segments(), new ArrayList<>());
    }

    /** Re-evaluates {@code which} for {@code f}; returns the ones entered and adds the ones left to {@code left}. */
    private List<String> segments(CustomerFacts f, java.util.Collection<SegmentDefinition> which, List<String> left) throws SQLException {
        List<String> entered = new ArrayList<>();
        Map<String, Object> vars = vars(f, null, null);
        for (SegmentDefinition s : which) {
            boolean member = s.when().test(vars);
            boolean was = f.segments.contains(s.id());
            if (member && !was) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into crm_segment_member (segment_id, customer_id, joined_at) values (?, ?, ?) on conflict do nothing")) {
                    ps.setString(1, s.id());
                    ps.setObject(2, f.id);
                    ps.setObject(3, SqlValues.utc(now));
                    ps.executeUpdate();
                }
                f.segments.add(s.id());
                f.changed();
                entered.add(s.id());
            } else if (!member && was) {
                leave(f, s.id());
                left.add(s.id());
            }
        }
        return entered;
    }

    private void leave(CustomerFacts f, String segment) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from crm_segment_member where segment_id = ? and customer_id = ?")) {
            ps.setString(1, segment);
            ps.setObject(2, f.id);
            ps.executeUpdate();
        }
        f.segments.remove(segment);
        f.changed();
    }

    private void maybeEnroll(JourneyDefinition j, CustomerFacts f, CustomerEvent event) throws SQLException {
        List<Enrollment> mine = enrollments.computeIfAbsent(f.id, k -> new ArrayList<>());
        if (mine.stream().anyMatch(e -> e.active() && e.journeyId.equals(j.id()))) {
            return;
        }
        if (j.trigger().when() != null && !j.trigger().when().test(vars(f, event, null))) {
            return;
        }
        if (!j.reentry() && everEnrolled(j.id(), f.id)) {
            return;
        }
        versions.store(c, j, now);
        Enrollment e = new Enrollment(Uuids.v7(now), j.id(), j.version(), f.id, "active", null, null, 0, event.id(),
                CelValues.clean(CelValues.write(event)), now);
        try (PreparedStatement ps = c.prepareStatement("insert into crm_enrollment (" + Enrollment.COLUMNS
                + ", updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, e.id);
            ps.setString(2, e.journeyId);
            ps.setString(3, e.version);
            ps.setObject(4, e.customerId);
            ps.setString(5, e.status);
            ps.setString(6, null);
            ps.setString(7, null);
            ps.setInt(8, 0);
            ps.setString(9, e.triggerEventId);
            ps.setString(10, e.triggerEventJson);
            ps.setObject(11, SqlValues.utc(now));
            ps.setObject(12, SqlValues.utc(now));
            ps.executeUpdate();
        }
        mine.add(e);
        LOG.debug("customer {} enrolled in journey {} ({}) by event {}", f.id, j.id(), e.id, event.id());
        run(e, j, f, 0, event);
    }

    private boolean everEnrolled(String journeyId, UUID customer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from crm_enrollment where journey_id = ? and customer_id = ? limit 1")) {
            ps.setString(1, journeyId);
            ps.setObject(2, customer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // walking a journey

    /** Walks {@code e} from step {@code index} until it waits or ends. */
    private void run(Enrollment e, JourneyDefinition j, CustomerFacts f, int index, CustomerEvent cause) throws SQLException {
        List<JourneyDefinition.Step> steps = j.steps();
        int idx = index;
        for (int taken = 0; ; taken++) {
            if (idx < 0 || idx >= steps.size()) {
                end(e, "completed", "all steps done");
                return;
            }
            if (taken >= MAX_STEPS_PER_RUN) {
                end(e, "exited", "more than " + MAX_STEPS_PER_RUN + " steps without a wait: the journey loops");
                LOG.warn("journey {} ended for customer {}: it loops without waiting", j.id(), f.id);
                return;
            }
            JourneyDefinition.Step step = steps.get(idx);
            Map<String, Object> vars = vars(f, cause, e.trigger());
            if (step instanceof JourneyDefinition.Wait w) {
                waitIn(e, w.id(), "timer", w.duration());
                return;
            } else if (step instanceof JourneyDefinition.WaitFor w) {
                waitIn(e, w.id(), "event", w.timeout());
                return;
            } else if (step instanceof JourneyDefinition.Branch b) {
                if (b.condition().test(vars)) {
                    idx = j.indexOf(b.then());
                } else {
                    idx = b.otherwise() == null ? idx + 1 : j.indexOf(b.otherwise());
                }
            } else if (step instanceof JourneyDefinition.Act a) {
                if (a.condition() == null || a.condition().test(vars)) {
                    planner.plan(e.id + ":" + a.id(), "journey:" + j.id(), a.action(), f, vars);
                }
                idx++;
            } else {
                end(e, "completed", "exit step " + step.id());
                return;
            }
        }
    }

    private void waitIn(Enrollment e, String step, String waiting, Duration duration) throws SQLException {
        e.waitSeq++;
        e.step = step;
        e.waiting = waiting;
        persist(e);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into crm_timer (due_at, kind, enrollment_id, wait_seq, created_at) values (?, 'journey', ?, ?, ?)")) {
            ps.setObject(1, SqlValues.utc(now.plus(duration)));
            ps.setObject(2, e.id);
            ps.setInt(3, e.waitSeq);
            ps.setObject(4, SqlValues.utc(now));
            ps.executeUpdate();
        }
    }

    private void end(Enrollment e, String status, String reason) throws SQLException {
        e.status = status;
        e.step = null;
        e.waiting = null;
        try (PreparedStatement ps = c.prepareStatement("update crm_enrollment set status = ?, step = null, waiting = null, wait_seq = ?, "
                + "customer_id = ?, updated_at = ?, ended_at = ?, end_reason = ? where id = ?")) {
            ps.setString(1, status);
            ps.setInt(2, e.waitSeq);
            ps.setObject(3, e.customerId);
            ps.setObject(4, SqlValues.utc(now));
            ps.setObject(5, SqlValues.utc(now));
            ps.setString(6, CelValues.clean(reason));
            ps.setObject(7, e.id);
            ps.executeUpdate();
        }
    }

    private void persist(Enrollment e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update crm_enrollment set step = ?, waiting = ?, wait_seq = ?, customer_id = ?, updated_at = ? where id = ?")) {
            ps.setString(1, e.step);
            ps.setString(2, e.waiting);
            ps.setInt(3, e.waitSeq);
            ps.setObject(4, e.customerId);
            ps.setObject(5, SqlValues.utc(now));
            ps.setObject(6, e.id);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------
    // sweeps: customers re-evaluated without an event

    /**
     * Re-evaluates {@code customers} (surviving profiles whose rows the caller holds locked) as time
     * passes: RFM from their orders and now (when {@code rfm}), then {@code which} segments. Entering a
     * segment enrolls the journeys it triggers, as an event's entry would, with a {@code segment.entered}
     * event as their trigger; in a {@code backfill} only the journeys that ask for it ({@code on-backfill}).
     */
    void swept(List<UUID> customers, java.util.Collection<SegmentDefinition> which, boolean rfm, boolean backfill, SegmentSweep.Tally tally)
            throws SQLException {
        Set<String> swept = new java.util.HashSet<>();
        which.forEach(s -> swept.add(s.id()));
        List<JourneyDefinition> journeys = definitions.journeys().stream()
                .filter(j -> j.trigger().segment() != null && swept.contains(j.trigger().segment()))
                .filter(j -> !backfill || j.trigger().onBackfill())
                .toList();
        Map<UUID, UUID> owners = new LinkedHashMap<>();
        customers.forEach(id -> owners.put(id, id));
        if (!journeys.isEmpty()) {
            loadEnrollments(owners);
        }
        facts.putAll(CustomerFacts.load(c, owners.keySet()));
        TraitCounters.fill(c, facts, definitions.traits(), now);
        for (UUID id : customers) {
            CustomerFacts f = facts.get(id);
            if (f == null) {
                continue;
            }
            tally.customers++;
            if (rfm) {
                rfm(f);
            }
            List<String> left = new ArrayList<>();
            List<String> entered = segments(f, which, left);
            tally.entered += entered.size();
            tally.left += left.size();
            for (String segment : entered) {
                for (JourneyDefinition j : journeys) {
                    if (segment.equals(j.trigger().segment())) {
                        int before = enrollments.getOrDefault(f.id, List.of()).size();
                        maybeEnroll(j, f, entered(segment, f.id));
                        tally.enrolled += enrollments.getOrDefault(f.id, List.of()).size() - before;
                    }
                }
            }
        }
    }

    /** The trigger of an enrollment a sweep starts: the customer entered {@code segment} now. */
    private CustomerEvent entered(String segment, UUID customer) {
        return CustomerEvent.builder("segment:" + segment + ":" + customer + ":" + now.toEpochMilli(), SegmentSweep.ENTERED)
                .source(SegmentSweep.SOURCE_CONNECTOR, SegmentSweep.SOURCE_INSTANCE)
                .time(now)
                .receivedAt(now)
                .extra("segment", segment)
                .build();
    }

    // ------------------------------------------------------------------------------------------
    // dry runs (the caller's transaction is rolled back)

    /** Plans {@code rule}'s actions for {@code event}, as an applied event would, when it listens and its condition holds. */
    boolean tryRule(RuleDefinition rule, CustomerEvent event, CustomerFacts f) throws SQLException {
        if (!rule.listensTo(event.type()) || (rule.when() != null && !rule.when().test(vars(f, event, null)))) {
            return false;
        }
        for (int i = 0; i < rule.then().size(); i++) {
            planner.plan("rule:" + rule.id() + ":" + event.id() + ":" + i, "rule:" + rule.id(), rule.then().get(i), f,
                    vars(f, event, null));
        }
        return true;
    }

    /** Enrolls the customer in {@code journey} by {@code event} and walks it to its first wait, as its trigger would. */
    void tryJourney(JourneyDefinition journey, CustomerEvent event, CustomerFacts f) throws SQLException {
        loadEnrollments(Map.of(f.id, f.id));
        maybeEnroll(journey, f, event);
    }

    /** The variables conditions see for {@code f} and {@code event} (may be null). */
    Map<String, Object> variables(CustomerFacts f, CustomerEvent event) {
        return vars(f, event, null);
    }

    // ------------------------------------------------------------------------------------------
    // timers

    /** Fires a journey timer whose row the caller holds locked; returns what happened. */
    String fireJourneyTimer(UUID enrollmentId, int waitSeq) throws SQLException {
        UUID owner;
        try (PreparedStatement ps = c.prepareStatement("select customer_id from crm_enrollment where id = ?")) {
            ps.setObject(1, enrollmentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "no such enrollment";
                }
                owner = rs.getObject(1, UUID.class);
            }
        }
        UUID customer = ProfileAliases.surviving(c, List.of(owner)).getOrDefault(owner, owner);
        // the same lock order as events take: customer row, then enrollment
        ProfileLocks.lockRow(c, customer);
        Enrollment e;
        try (PreparedStatement ps = c.prepareStatement("select " + Enrollment.COLUMNS + " from crm_enrollment where id = ? for update")) {
            ps.setObject(1, enrollmentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                e = Enrollment.read(rs);
            }
        }
        if (!e.active()) {
            return "enrollment " + e.status;
        }
        if (e.waitSeq != waitSeq || e.waiting == null) {
            return "stale: the enrollment moved on";
        }
        e.customerId = customer;
        facts.putAll(CustomerFacts.load(c, List.of(customer)));
        TraitCounters.fill(c, facts, definitions.traits(), now);
        CustomerFacts f = facts.get(customer);
        JourneyDefinition j = versions.get(c, definitions, e.journeyId, e.version);
        int idx = j.indexOf(e.step);
        if (f == null || idx < 0) {
            end(e, "exited", f == null ? "customer is gone" : "step " + e.step + " is gone");
            return "ended";
        }
        JourneyDefinition.Step step = j.steps().get(idx);
        int target = idx + 1;
        String outcome = "wait over";
        if (step instanceof JourneyDefinition.WaitFor w) {
            outcome = "timed out waiting for " + w.event().type();
            if (w.onTimeout() != null) {
                target = j.indexOf(w.onTimeout());
            }
        }
        e.waiting = null;
        run(e, j, f, target, e.trigger());
        return outcome;
    }

    /** Escalates a task whose timer row the caller holds locked, if it is still open. */
    String fireTaskTimer(UUID taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select status, assignee, manager, escalated_at from crm_task where id = ? for update")) {
            ps.setObject(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "no such task";
                }
                String status = rs.getString(1);
                String assignee = rs.getString(2);
                String manager = rs.getString(3);
                if (!"open".equals(status)) {
                    return "task " + status;
                }
                if (rs.getObject(4) != null || manager == null || manager.equals(assignee)) {
                    return "nobody to escalate to";
                }
                try (PreparedStatement up = c.prepareStatement(
                        "update crm_task set assignee = ?, escalated_from = ?, escalated_at = ? where id = ?")) {
                    up.setString(1, manager);
                    up.setString(2, assignee);
                    up.setObject(3, SqlValues.utc(now));
                    up.setObject(4, taskId);
                    up.executeUpdate();
                }
                return "escalated to " + manager;
            }
        }
    }

    // ------------------------------------------------------------------------------------------

    private Map<String, Object> vars(CustomerFacts f, CustomerEvent event, CustomerEvent trigger) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put(ExpressionLanguage.CUSTOMER, f.toCel());
        vars.put(ExpressionLanguage.NOW, now);
        if (event != null) {
            vars.put(ExpressionLanguage.EVENT, cel(event));
        }
        if (trigger != null) {
            vars.put(ExpressionLanguage.TRIGGER, cel(trigger));
        }
        return vars;
    }

    // Events are immutable: each one's CEL view is built once per run, however many conditions read it.
    private final Map<CustomerEvent, Map<String, Object>> eventViews = new java.util.IdentityHashMap<>();

    private Map<String, Object> cel(CustomerEvent event) {
        return eventViews.computeIfAbsent(event, e -> java.util.Collections.unmodifiableMap(CelValues.event(e)));
    }
}
