package io.omnihub.crm.automation;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.ProfileAliases;
import io.omnihub.crm.ProfileLocks;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one rule, journey or segment would do for one customer now, found by the engine itself
 * (conditions, guards, recipients, templates, assignment) inside a transaction that is rolled back:
 * nothing is kept, and nothing is sent, since the outbox only ever hands on what was committed.
 * The customer is taken as they are now; the event is the one given, or the customer's latest of a
 * type the definition listens to, rebuilt from their timeline.
 */
public final class DryRun {

    /**
     * The outcome.
     *
     * @param kind       {@code rule}, {@code journey} or {@code segment}
     * @param id         the definition's id
     * @param customerId the customer (the surviving profile of the one asked for)
     * @param event      the event it was tried with, or null (a segment, or no event to try)
     * @param matches    whether the rule's condition, the journey's trigger or the segment's condition holds
     * @param notes      how the decision came about, step by step
     * @param actions    what it would do now (tags, scores, tasks, messages with their guards' verdict), recipients masked
     * @param enrollment for a journey the customer would enter: where the enrollment would stand
     * @param later      for a journey: the steps after the one it would wait in
     */
    public record Result(String kind, String id, String customerId, EventSummary event, boolean matches, List<String> notes,
                         List<ActionRecord> actions, EnrollmentState enrollment, List<String> later) {
    }

    /**
     * The event a dry run tried.
     *
     * @param type   its type
     * @param source where it came from
     * @param time   when it happened
     * @param from   {@code given}, or the timeline event it was rebuilt from ({@code timeline:<event id>})
     */
    public record EventSummary(String type, String source, Instant time, String from) {
    }

    /**
     * Where an enrollment would stand after its first run.
     *
     * @param status  {@code active} (waiting) or {@code completed}/{@code exited}
     * @param step    the step it waits in, or null
     * @param waiting {@code timer} or {@code event}, or null
     * @param until   when the wait ends (a timer's due time, an event wait's timeout), or null
     */
    public record EnrollmentState(String status, String step, String waiting, Instant until) {
    }

    private final Definitions inForce;
    private final GuardSettings guards;
    private final JourneyVersions versions;

    DryRun(Definitions inForce, GuardSettings guards, JourneyVersions versions) {
        this.inForce = inForce;
        this.guards = guards;
        this.versions = versions;
    }

    /**
     * Tries {@code candidate} (one rule, journey or segment) for {@code customer} with {@code event}
     * (null: the latest fitting one of the timeline).
     *
     * @throws NoSuchElementException when there is no such customer
     * @throws DefinitionException    when the candidate does not fit with the definitions in force
     *                                (a journey on a segment nobody defines)
     */
    Result run(Transactions tx, Instant now, DefinitionFile candidate, UUID customer, CustomerEvent event) {
        return tx.rolledBack(c -> evaluate(c, now, candidate, customer, event));
    }

    private Result evaluate(Connection c, Instant now, DefinitionFile candidate, UUID asked, CustomerEvent given)
            throws SQLException {
        UUID id = ProfileAliases.surviving(c, List.of(asked)).getOrDefault(asked, asked);
        if (!ProfileLocks.lockRow(c, id)) {
            throw new NoSuchElementException("no customer " + asked);
        }
        CustomerFacts facts = CustomerFacts.load(c, List.of(id)).get(id);
        if (facts != null) {
            TraitCounters.fill(c, java.util.Map.of(id, facts), inForce.traits(), now);
        }
        Definitions definitions = definitions(candidate);
        AutomationRun run = new AutomationRun(c, now, definitions, versions, guards);
        List<String> notes = new ArrayList<>();
        if (!candidate.rules().isEmpty()) {
            RuleDefinition rule = candidate.rules().get(0);
            CustomerEvent event = event(c, id, given, rule.on(), now, notes);
            if (event == null) {
                return new Result("rule", rule.id(), id.toString(), null, false, notes, List.of(), null, List.of());
            }
            boolean listens = rule.listensTo(event.type());
            notes.add(listens ? "listens to " + event.type() : "does not listen to " + event.type() + " (on: " + String.join(", ", rule.on()) + ")");
            boolean holds = listens && condition(rule.when(), run.variables(facts, event), notes);
            if (holds) {
                run.fireRule(rule, event, facts);
            }
            return new Result("rule", rule.id(), id.toString(), summary(event, given), holds, notes,
                    actions(c, "rule:" + rule.id() + ":" + event.id() + ":%"), null, List.of());
        }
        if (!candidate.journeys().isEmpty()) {
            return journey(c, now, candidate.journeys().get(0), definitions, run, facts, given, notes);
        }
        SegmentDefinition segment = candidate.segments().get(0);
        boolean holds = condition(segment.when(), run.variables(facts, null), notes);
        boolean member = facts.segments.contains(segment.id());
        notes.add(holds == member ? (member ? "the customer is in it" : "the customer is not in it")
                : (holds ? "the customer would enter it with their next event" : "the customer would leave it with their next event"));
        return new Result("segment", segment.id(), id.toString(), null, holds, notes, List.of(), null, List.of());
    }

    private Result journey(Connection c, Instant now, JourneyDefinition journey, Definitions definitions, AutomationRun run,
                           CustomerFacts facts, CustomerEvent given, List<String> notes) throws SQLException {
        String customer = facts.id.toString();
        JourneyDefinition.Trigger trigger = journey.trigger();
        CustomerEvent event;
        boolean triggered;
        if (trigger.eventType() != null) {
            event = event(c, facts.id, given, Set.of(trigger.eventType()), now, notes);
            if (event == null) {
                return new Result("journey", journey.id(), customer, null, false, notes, List.of(), null, List.of());
            }
            triggered = event.type().equals(trigger.eventType());
            notes.add(triggered ? "triggered by " + event.type() : "triggered by " + trigger.eventType() + ", not " + event.type());
        } else {
            event = event(c, facts.id, given, Set.of(), now, notes);
            if (event == null) {
                event = synthetic(c, facts.id, now);
            }
            SegmentDefinition segment = definitions.segment(trigger.segment()).orElseThrow();
            boolean holds = condition(segment.when(), run.variables(facts, event), notes);
            boolean member = facts.segments.contains(segment.id());
            triggered = holds && !member;
            notes.add(member ? "the customer is in segment " + segment.id() + " already: only entering it enrolls"
                    : holds ? "the customer would enter segment " + segment.id() : "the customer would not enter segment " + segment.id());
        }
        boolean holds = triggered && condition(trigger.when(), run.variables(facts, event), notes);
        if (!holds) {
            return new Result("journey", journey.id(), customer, summary(event, given), false, notes, List.of(), null, List.of());
        }
        String before = enrolled(c, journey.id(), facts.id);
        run.tryJourney(journey, event, facts);
        EnrollmentState state = null;
        String enrollment = null;
        try (PreparedStatement ps = c.prepareStatement("""
                select e.id, e.status, e.step, e.waiting, t.due_at from crm_enrollment e
                  left join crm_timer t on t.enrollment_id = e.id and t.wait_seq = e.wait_seq
                 where e.journey_id = ? and e.trigger_event_id = ?""")) {
            ps.setString(1, journey.id());
            ps.setString(2, event.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    enrollment = rs.getString(1);
                    state = new EnrollmentState(rs.getString(2), rs.getString(3), rs.getString(4), SqlValues.instant(rs, 5));
                }
            }
        }
        if (enrollment == null) {
            notes.add(before == null ? "not enrolled" : "not enrolled: " + before);
            return new Result("journey", journey.id(), customer, summary(event, given), true, notes, List.of(), null, List.of());
        }
        notes.add(state.waiting() == null ? "would enroll and run to the end at once"
                : "would enroll and wait in step " + state.step() + (state.until() == null ? "" : " until " + state.until()));
        List<String> later = new ArrayList<>();
        int from = state.step() == null ? journey.steps().size() : journey.indexOf(state.step()) + 1;
        for (int i = from; i < journey.steps().size(); i++) {
            later.add(describe(journey.steps().get(i)));
        }
        return new Result("journey", journey.id(), customer, summary(event, given), true, notes,
                actions(c, enrollment + ":%"), state, later);
    }

    /** Why the customer would not be enrolled again, or null when nothing stands in the way. */
    private String enrolled(Connection c, String journey, UUID customer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select status from crm_enrollment where journey_id = ? and customer_id = any(?) order by started_at desc")) {
            ps.setString(1, journey);
            ps.setArray(2, c.createArrayOf("uuid", ProfileAliases.withMerged(c, customer).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("active".equals(rs.getString(1))) {
                        return "the customer is in this journey already";
                    }
                }
            }
        }
        return "the customer was in this journey before and it does not allow re-entry";
    }

    private static boolean condition(Expression when, Map<String, Object> variables, List<String> notes) {
        if (when == null) {
            return true;
        }
        boolean holds = when.test(variables);
        notes.add("when " + when.source().strip() + ": " + holds);
        return holds;
    }

    /** The definitions the candidate runs with: itself, the task assignment in force, and a segment its journey needs. */
    private Definitions definitions(DefinitionFile candidate) {
        Definitions.Builder builder = new Definitions.Builder().add(candidate);
        List<SegmentDefinition> segments = new ArrayList<>();
        for (JourneyDefinition j : candidate.journeys()) {
            String segment = j.trigger().segment();
            if (segment != null && candidate.segments().stream().noneMatch(s -> s.id().equals(segment))) {
                inForce.segment(segment).ifPresent(segments::add);
            }
        }
        builder.add(new DefinitionFile("in force", List.of(), segments, List.of(), inForce.assignment(), null));
        return builder.build();
    }

    /** The event to try: the one given (with an id of its own), else the latest in the timeline of one of {@code types} (any when empty). */
    private CustomerEvent event(Connection c, UUID customer, CustomerEvent given, Set<String> types, Instant now, List<String> notes)
            throws SQLException {
        if (given != null) {
            CustomerEventData data = given.data();
            if (data.identities().isEmpty()) {
                data = new CustomerEventData(data.receivedAt(), identity(c, customer), data.consent(), data.attributes(), data.order(),
                        data.message(), data.extra());
            }
            return new CustomerEvent("dry-run:" + UUID.randomUUID(), given.source(), given.type(), given.time(), data);
        }
        try (PreparedStatement ps = c.prepareStatement("select event_id, type, time, source, summary::text from crm_timeline "
                + "where customer_id = any(?) and (cardinality(?::text[]) = 0 or type = any(?)) order by time desc, id desc limit 1")) {
            ps.setArray(1, c.createArrayOf("uuid", ProfileAliases.withMerged(c, customer).toArray()));
            java.sql.Array wanted = c.createArrayOf("text", types.toArray());
            ps.setArray(2, wanted);
            ps.setArray(3, wanted);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    notes.add("the customer's timeline holds no " + (types.isEmpty() ? "event" : String.join(" or ", types))
                            + " event to try: give one");
                    return null;
                }
                notes.add("tried with the customer's latest " + rs.getString(2) + " event (" + rs.getString(1) + ")");
                Map<String, Object> summary = CelValues.readMap(rs.getString(5));
                List<Order.OrderLine> lines = List.of();
                if (summary.get("order") instanceof Map<?, ?> o) {
                    lines = TimelineEvents.storedLines(c, List.of(rs.getString(4)), List.of(String.valueOf(o.get("id"))))
                            .getOrDefault(List.of(rs.getString(4), String.valueOf(o.get("id"))), List.of());
                }
                return TimelineEvents.rebuild("dry-run:" + UUID.randomUUID(), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getString(4), summary, identity(c, customer), lines, now);
            }
        }
    }

    /**
     * The customer's most recently seen identity, for an event that names none (the timeline keeps
     * no identities): events are about someone, and a journey keeps its trigger event.
     */
    private static List<Identity> identity(Connection c, UUID customer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select type, namespace, value from crm_identity where customer_id = any(?) "
                + "order by last_seen_at desc, type, value limit 1")) {
            ps.setArray(1, c.createArrayOf("uuid", ProfileAliases.withMerged(c, customer).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? List.of(Identity.of(rs.getString(1), rs.getString(3), rs.getString(2).isEmpty() ? null : rs.getString(2)))
                        : List.of();
            }
        }
    }

    /** A stand-in when the customer has no event at all (a segment-triggered journey needs one to record). */
    private static CustomerEvent synthetic(Connection c, UUID customer, Instant now) throws SQLException {
        CustomerEvent.Builder b = CustomerEvent.builder("dry-run:" + UUID.randomUUID(), "profile.updated")
                .source("dry-run", "console").time(now).receivedAt(now);
        identity(c, customer).forEach(b::identity);
        return b.build();
    }

    private static EventSummary summary(CustomerEvent event, CustomerEvent given) {
        return new EventSummary(event.type(), event.source(), event.time().toInstant(), given != null ? "given" : "timeline");
    }

    private static List<ActionRecord> actions(Connection c, String idPattern) throws SQLException {
        List<ActionRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + ActionLedger.ACTION_COLUMNS
                + " from crm_action where id like ? order by id")) {
            ps.setString(1, idPattern);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(ActionLedger.action(rs));
                }
            }
        }
        return out;
    }

    private static String describe(JourneyDefinition.Step step) {
        if (step instanceof JourneyDefinition.Wait w) {
            return step.id() + ": wait " + Durations.format(w.duration());
        } else if (step instanceof JourneyDefinition.WaitFor w) {
            return step.id() + ": wait for " + w.event().type() + " up to " + Durations.format(w.timeout());
        } else if (step instanceof JourneyDefinition.Branch b) {
            return step.id() + ": branch on " + b.condition().source().strip();
        } else if (step instanceof JourneyDefinition.Act a) {
            return step.id() + ": " + a.action().name() + (a.condition() == null ? "" : " if " + a.condition().source().strip());
        }
        return step.id() + ": exit";
    }

    /**
     * An event given to a dry run as canonical JSON ({@code type} required; {@code time},
     * {@code source} and {@code data} optional, CloudEvents fields such as {@code specversion}
     * ignored).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static CustomerEvent event(String json, Instant now) {
        JsonNode tree;
        try {
            tree = CelValues.JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the event is not JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode event) || !event.path("type").isString() || event.path("type").asString().isBlank()) {
            throw new IllegalArgumentException("the event must be a JSON object with a type, e.g. {\"type\": \"cart.updated\"}");
        }
        String at = now.atOffset(ZoneOffset.UTC).toString();
        if (!event.has("id")) {
            event.put("id", "dry-run");
        }
        if (!event.has("source")) {
            event.put("source", "/connectors/dry-run/console");
        }
        if (!event.has("time")) {
            event.put("time", at);
        }
        ObjectNode data = event.path("data") instanceof ObjectNode d ? d : event.putObject("data");
        if (!data.has("receivedAt")) {
            data.put("receivedAt", at);
        }
        if (!data.has("identities")) {
            data.putArray("identities");
        }
        try {
            return CelValues.JSON.treeToValue(event, CustomerEvent.class);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("the event does not fit the canonical event: " + e.getMessage());
        }
    }
}
