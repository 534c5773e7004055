package io.omnihub.crm.automation;

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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automation work of one transaction: the events of a batch the CRM core just applied, a sweep of
 * customers as time passes, a dry run, or one due journey timer. Holds the customers' facts and their
 * active enrollments (rows locked) while it works.
 */
final class AutomationRun {

    private static final Logger LOG = LoggerFactory.getLogger(AutomationRun.class);

    private final Connection c;
    private final Instant now;
    private final Definitions definitions;
    private final JourneyVersions versions;
    private final ActionPlanner planner;
    private final CelVariables vars;
    private final JourneyWalker walker;
    private final ActiveEnrollments enrollments;
    private final SegmentMembership segments;
    private final Map<UUID, CustomerFacts> facts = new HashMap<>();

    AutomationRun(Connection c, Instant now, Definitions definitions, JourneyVersions versions, GuardSettings guards) {
        this.c = c;
        this.now = now;
        this.definitions = definitions;
        this.versions = versions;
        this.planner = new ActionPlanner(c, now, definitions, guards);
        this.vars = new CelVariables(now);
        this.walker = new JourneyWalker(c, now, planner, vars);
        this.enrollments = new ActiveEnrollments(c, walker);
        this.segments = new SegmentMembership(c, now, vars);
    }

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
        enrollments.lock(surviving);
        if (applied.stream().noneMatch(e -> concerns(e.type())) && enrollments.none()) {
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

    private void evaluate(CustomerEvent event, CustomerFacts f) throws SQLException {
        String type = event.type();
        for (RuleDefinition rule : definitions.rules()) {
            fireRule(rule, event, f);
        }
        if (definitions.rfm().enabled() && isOrderEvent(type)) {
            rfm(f);
        }
        // Segments this node does not know (a file refused or missing here, an older node during a
        // rolling deploy) keep their members: only deleting the segment over the API removes them.
        List<String> entered = segments.update(f, definitions.segments(), new ArrayList<>());
        for (Enrollment e : List.copyOf(enrollments.of(f.id))) {
            if (!e.active()) {
                continue;
            }
            JourneyDefinition j = versions.get(c, definitions, e.journeyId, e.version);
            EventMatch exit = j.exitOn().stream().filter(m -> matches(m, event, vars.of(f, event, null))).findFirst().orElse(null);
            if (exit != null) {
                walker.end(e, "exited", "exit event " + type + " (" + event.id() + ")");
                continue;
            }
            if ("event".equals(e.waiting) && j.step(e.step).orElse(null) instanceof JourneyDefinition.WaitFor w
                    && matches(w.event(), event, vars.of(f, event, e.trigger()))) {
                int target = w.onEvent() != null ? j.indexOf(w.onEvent()) : j.indexOf(w.id()) + 1;
                e.waitSeq++; // the timeout timer no longer matches
                e.waiting = null;
                walker.walk(e, j, f, target, event);
            }
        }
        for (JourneyDefinition j : definitions.journeys()) {
            JourneyDefinition.Trigger t = j.trigger();
            if (type.equals(t.eventType()) || (t.segment() != null && entered.contains(t.segment()))) {
                maybeEnroll(j, f, event);
            }
        }
    }

    /** Plans {@code rule}'s actions for {@code event} when it listens and its condition holds; returns whether it did. */
    boolean fireRule(RuleDefinition rule, CustomerEvent event, CustomerFacts f) throws SQLException {
        if (!rule.listensTo(event.type()) || (rule.when() != null && !rule.when().test(vars.of(f, event, null)))) {
            return false;
        }
        for (int i = 0; i < rule.then().size(); i++) {
            planner.plan("rule:" + rule.id() + ":" + event.id() + ":" + i, "rule:" + rule.id(), rule.then().get(i), f,
                    vars.of(f, event, null));
        }
        return true;
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
        CustomerScores.set(c, f, "rfm_recency", r, false);
        CustomerScores.set(c, f, "rfm_frequency", fr, false);
        CustomerScores.set(c, f, "rfm_monetary", m, false);
        CustomerScores.set(c, f, "rfm", r * 100L + fr * 10L + m, false);
    }

    private void maybeEnroll(JourneyDefinition j, CustomerFacts f, CustomerEvent event) throws SQLException {
        List<Enrollment> mine = enrollments.of(f.id);
        if (mine.stream().anyMatch(e -> e.active() && e.journeyId.equals(j.id()))) {
            return;
        }
        if (j.trigger().when() != null && !j.trigger().when().test(vars.of(f, event, null))) {
            return;
        }
        if (!j.reentry() && everEnrolled(j.id(), f.id)) {
            return;
        }
        versions.store(c, j, now);
        Enrollment e = walker.start(j, f, event);
        mine.add(e);
        LOG.debug("customer {} enrolled in journey {} ({}) by event {}", f.id, j.id(), e.id, event.id());
        walker.walk(e, j, f, 0, event);
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

    /**
     * Re-evaluates {@code customers} (surviving profiles whose rows the caller holds locked) as time
     * passes: RFM from their orders and now (when {@code rfm}), then {@code which} segments. Entering a
     * segment enrolls the journeys it triggers, as an event's entry would, with a {@code segment.entered}
     * event as their trigger; in a {@code backfill} only the journeys that ask for it ({@code on-backfill}).
     */
    void swept(List<UUID> customers, Collection<SegmentDefinition> which, boolean rfm, boolean backfill, SegmentSweep.Tally tally)
            throws SQLException {
        Set<String> swept = new HashSet<>();
        which.forEach(s -> swept.add(s.id()));
        List<JourneyDefinition> journeys = definitions.journeys().stream()
                .filter(j -> j.trigger().segment() != null && swept.contains(j.trigger().segment()))
                .filter(j -> !backfill || j.trigger().onBackfill())
                .toList();
        Map<UUID, UUID> owners = new LinkedHashMap<>();
        customers.forEach(id -> owners.put(id, id));
        if (!journeys.isEmpty()) {
            enrollments.lock(owners);
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
            List<String> entered = segments.update(f, which, left);
            tally.entered += entered.size();
            tally.left += left.size();
            for (String segment : entered) {
                for (JourneyDefinition j : journeys) {
                    if (segment.equals(j.trigger().segment())) {
                        int before = enrollments.of(f.id).size();
                        maybeEnroll(j, f, entered(segment, f.id));
                        tally.enrolled += enrollments.of(f.id).size() - before;
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

    /**
     * Enrolls the customer in {@code journey} by {@code event} and walks it to its first wait, as its
     * trigger would; a dry run calls this in a transaction it rolls back.
     */
    void tryJourney(JourneyDefinition journey, CustomerEvent event, CustomerFacts f) throws SQLException {
        enrollments.lock(Map.of(f.id, f.id));
        maybeEnroll(journey, f, event);
    }

    /** The variables conditions see for {@code f} and {@code event} (may be null). */
    Map<String, Object> variables(CustomerFacts f, CustomerEvent event) {
        return vars.of(f, event, null);
    }

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
            walker.end(e, "exited", f == null ? "customer is gone" : "step " + e.step + " is gone");
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
        walker.walk(e, j, f, target, e.trigger());
        return outcome;
    }
}
