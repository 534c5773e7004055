package io.omnihub.crm;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.jdbc.SqlStates;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One attempt at applying a batch in one transaction (the caller owns the connection, commits and
 * retries): checks the events, locks and loads the part of the graph they reach, asks the
 * {@link LinkPlanner} what to link, applies the plans in memory and writes with JDBC batches: a
 * handful of round trips per batch, not per event.
 *
 * <p>In {@code isolate} mode (used after a fast attempt failed on bad data) every event runs in its
 * own savepoint and is written before the next one, so a database-rejected event is reported
 * REJECTED and the others still apply.
 */
final class BatchRun {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

    private final Connection c;
    private final boolean isolate;
    private final Instant now;
    private final EventCheck check;
    private final LinkPlanner planner;
    private final GraphLoader loader;
    private final ProfileMerger merger = new ProfileMerger();
    private final IdentityGraph graph = new IdentityGraph();
    private final ProfileWrites writes;
    private final SharedIdentifierWatch watch;
    private final Suppressions suppressions;
    private final LinkingWithdrawal withdrawal;
    private Map<String, UUID> processed;
    /** The identifiers the batch's events carry: what the graph is loaded (and reloaded) for. */
    private final TreeSet<IdKey> keys = new TreeSet<>();

    BatchRun(Connection c, IdentityPolicy policy, Instant now, boolean isolate) {
        this(c, policy, now, isolate, null);
    }

    /** A run that leaves out events carrying an identifier on the suppression list (none when {@code suppressions} is null). */
    BatchRun(Connection c, IdentityPolicy policy, Instant now, boolean isolate, Suppressions suppressions) {
        this.suppressions = suppressions;
        this.c = c;
        this.isolate = isolate;
        this.now = now;
        this.check = new EventCheck(policy);
        this.planner = new LinkPlanner(policy);
        this.loader = new GraphLoader(c);
        this.writes = new ProfileWrites(c, now);
        this.watch = new SharedIdentifierWatch(c, policy, now);
        this.withdrawal = new LinkingWithdrawal(c, policy, now);
    }

    BatchResult run(List<CustomerEvent> events) throws SQLException {
        List<CheckedEvent> checked = new ArrayList<>(events.size());
        List<String> eventIds = new ArrayList<>();
        for (CustomerEvent ev : events) {
            CheckedEvent p = check.check(ev);
            checked.add(p);
            if (p.reject == null) {
                keys.addAll(p.candidates);
            }
            if (ev != null && ev.id() != null) {
                eventIds.add(ev.id());
            }
        }
        loader.lockIdentities(keys);
        // After the identifiers' locks: an erasure of their owner has committed or waits for this batch.
        if (suppressions != null && suppressions.check(c, checked, now) > 0) {
            keys.clear();
            checked.stream().filter(p -> p.reject == null && p.suppressedBy.isEmpty()).forEach(p -> keys.addAll(p.candidates));
        }
        processed = loader.processed(eventIds);
        loader.load(graph, keys);
        watchForSharedIdentifiers(checked, keys);

        List<BatchResult.Outcome> outcomes = new ArrayList<>(checked.size());
        for (CheckedEvent p : checked) {
            String id = p.ev == null ? null : p.ev.id();
            if (!p.suppressedBy.isEmpty()) {
                // neither applied nor kept: the reason names the suppressions, never the identifier
                outcomes.add(new BatchResult.Outcome(id, BatchResult.Status.SUPPRESSED, null,
                        "carries an identifier of an erased customer (suppression " + String.join(", ",
                                p.suppressedBy.stream().map(UUID::toString).toList()) + ")"));
                continue;
            }
            if (id != null && processed.containsKey(id)) {
                UUID cid = processed.get(id);
                outcomes.add(new BatchResult.Outcome(id, BatchResult.Status.DUPLICATE, cid == null ? null : cid.toString(), null));
                continue;
            }
            if (p.reject != null) {
                outcomes.add(new BatchResult.Outcome(id, BatchResult.Status.REJECTED, null, p.reject));
                continue;
            }
            if (!isolate) {
                UUID cid = applyOne(p);
                outcomes.add(new BatchResult.Outcome(id, BatchResult.Status.APPLIED, cid.toString(), null));
                continue;
            }
            Savepoint sp = c.setSavepoint();
            try {
                UUID cid = applyOne(p);
                writes.flush(graph);
                c.releaseSavepoint(sp);
                outcomes.add(new BatchResult.Outcome(id, BatchResult.Status.APPLIED, cid.toString(), null));
            } catch (SQLException e) {
                if (!SqlStates.dataError(e)) {
                    throw e;
                }
                c.rollback(sp);
                writes.clear();
                processed.remove(id);
                LOG.warn("event {} rejected by the database: {}", id, SqlStates.describe(e));
                outcomes.add(new BatchResult.Outcome(id, BatchResult.Status.REJECTED, null,
                        "database rejected the event: " + SqlStates.describe(e)));
                loader.load(graph, keys);
            }
        }
        writes.flush(graph);
        return new BatchResult(outcomes);
    }

    /**
     * Records who the batch's shareable identifiers were seen with; those that now behave like shared
     * ones are marked and what they glued is split, before any event of the batch links through them.
     */
    private void watchForSharedIdentifiers(List<CheckedEvent> checked, Collection<IdKey> keys) throws SQLException {
        List<CheckedEvent> fresh = checked.stream()
                .filter(p -> p.reject == null && p.suppressedBy.isEmpty() && !processed.containsKey(p.ev.id()))
                .toList();
        List<SharedIdentifierWatch.Detection> found = watch.observe(fresh);
        if (found.isEmpty()) {
            return;
        }
        Set<IdKey> shared = new HashSet<>(graph.shared());
        found.forEach(d -> shared.add(d.key()));
        for (SharedIdentifierWatch.Detection d : found) {
            watch.split(d, shared, merger);
        }
        loader.load(graph, keys);
    }

    /** Locks and loads the two profiles, merges the younger into the older; returns [audit, survivor, merged]. */
    UUID[] manualMerge(UUID a, UUID b, String reason) throws SQLException {
        loader.lockProfiles(graph, new TreeSet<>(List.of(a, b)));
        ProfileState ca = graph.profile(a);
        ProfileState cb = graph.profile(b);
        if (ca == null || cb == null) {
            throw new IllegalArgumentException("no such customer: " + (ca == null ? a : b));
        }
        if (!ca.active || !cb.active) {
            throw new IllegalStateException("customer " + (ca.active ? b : a) + " was merged already");
        }
        loader.readIdentities(graph, Set.of());
        List<ProfileState> two = new ArrayList<>(List.of(ca, cb));
        two.sort(IdentityGraph.OLDEST_FIRST);
        UUID audit = merge(two.get(0).id, two.get(1).id, null, reason, List.of());
        writes.flush(graph);
        return new UUID[] {audit, two.get(0).id, two.get(1).id};
    }

    private UUID merge(UUID target, UUID merged, String evidenceEventId, String reason, List<JoinedIdentifier> joined) throws SQLException {
        writes.flush(graph);
        return merger.merge(c, graph, target, merged, evidenceEventId, reason, joined, now);
    }

    private UUID applyOne(CheckedEvent p) throws SQLException {
        LinkPlan plan = planner.plan(p, graph);
        CustomerEvent ev = p.ev;
        Instant at = ev.time().toInstant();
        String source = IdentityPolicy.stripNul(ev.source());
        Map<IdKey, UUID> ownerBefore = new HashMap<>();
        for (IdKey k : plan.match()) {
            UUID o = graph.owner(k);
            if (o != null) {
                ownerBefore.put(k, o);
            }
        }
        UUID target;
        if (plan.profiles().isEmpty()) {
            target = newProfile();
        } else {
            target = plan.profiles().get(0);
            for (UUID other : plan.profiles().subList(1, plan.profiles().size())) {
                List<JoinedIdentifier> joined = new ArrayList<>();
                boolean corroborated = false;
                for (IdKey k : plan.match()) {
                    UUID o = ownerBefore.get(k);
                    if (target.equals(o) || other.equals(o)) {
                        Evidence e = p.evidence.get(k);
                        joined.add(new JoinedIdentifier(k.type(), k.namespace(), k.value(), e == null ? null : e.name().toLowerCase(Locale.ROOT),
                                target.equals(o) ? "survivor" : "merged"));
                        corroborated |= plan.corroborated().contains(k);
                    }
                }
                merge(target, other, ev.id(), (corroborated ? "weak evidence corroborated by orders, linked by event " : "linked by event ")
                        + ev.id(), joined);
            }
        }
        for (IdKey k : plan.match()) {
            Evidence given = p.evidence.get(k);
            UUID o = graph.owner(k);
            if (plan.claims().contains(k)) {
                Evidence old = graph.heldBy(k);
                IdentityGraph.Sighting seen = given != null && !given.strong() ? graph.sighting(target, k) : null;
                graph.own(k, target, given);
                if (seen != null) {
                    graph.profile(target).weakOrders.put(k, seen); // what corroborated the claim; this event's order is added below
                }
                writes.unlinked(new ProfileWrites.UnlinkedRow(o, k, Unlinked.CLAIMED, at, at, source, ev.id(), old, 1, null));
            } else if (o == null) {
                graph.own(k, target, given);
            } else {
                Evidence held = graph.heldBy(k);
                graph.own(k, target, EventCheck.rank(given) > EventCheck.rank(held) ? given : held);
            }
            ProfileState owner = graph.profile(target);
            if (owner.holdsWeakly(k)) {
                if (!p.strong(k)) {
                    IdentityGraph.Sighting seen = owner.weakOrders.get(k);
                    owner.weakOrders.put(k, seen == null ? new IdentityGraph.Sighting(p.orderId() == null ? 0 : 1, p.orderId())
                            : seen.seenAgain(p.orderId()));
                }
            } else {
                owner.weakOrders.remove(k);
            }
            writes.identity(identityRow(k, target, at, source, ev.id()));
        }
        List<Unlinked> unlinked = new ArrayList<>();
        for (Unlinked u : plan.dropped()) {
            if (!target.equals(graph.owner(u.key()))) {
                unlinked.add(u);
            } else {
                writes.identity(identityRow(u.key(), target, at, source, ev.id()));
            }
        }
        unlinked.addAll(p.notLinkable);
        for (Unlinked u : unlinked) {
            int observations = 1;
            String lastOrder = null;
            if (u.reason().equals(Unlinked.WEAK_HELD)) {
                IdentityGraph.Sighting seen = graph.sighting(target, u.key());
                IdentityGraph.Sighting now = seen == null ? new IdentityGraph.Sighting(1, p.orderId()) : seen.seenAgain(p.orderId());
                graph.sighting(target, u.key(), now);
                observations = now.observations();
                lastOrder = now.lastOrder();
            }
            writes.unlinked(new ProfileWrites.UnlinkedRow(target, u.key(), u.reason(), at, at, source, ev.id(), p.evidence.get(u.key()),
                    observations, lastOrder));
        }
        ProfileState t = graph.profile(target);

        // attributes and consent: the most recent statement wins
        boolean changed = false;
        for (Map.Entry<String, JsonNode> e : p.attributes.properties()) {
            changed |= StatementMaps.state(t.attrs, e.getKey(), e.getValue(), at, ev.id());
        }
        if (ev.data().consent() != null) {
            Map<String, JsonNode> stated = new LinkedHashMap<>();
            if (ev.data().consent().crossChannelLinking() != null) {
                stated.put(ConsentKeys.CROSS_CHANNEL_LINKING, Json.tree(ev.data().consent().crossChannelLinking()));
            }
            if (ev.data().consent().marketing() != null) {
                stated.put(ConsentKeys.MARKETING, Json.tree(ev.data().consent().marketing()));
            }
            // a channel's own statement is kept apart from the blanket one: it wins for that channel only
            for (Map.Entry<String, Boolean> channel : ev.data().consent().marketingChannels().entrySet()) {
                stated.put(ConsentKeys.marketingOn(channel.getKey()), Json.tree(channel.getValue()));
            }
            if (ev.data().consent().analytics() != null) {
                stated.put(ConsentKeys.ANALYTICS, Json.tree(ev.data().consent().analytics()));
            }
            String type = IdentityPolicy.stripNul(ev.type());
            for (Map.Entry<String, JsonNode> e : stated.entrySet()) {
                changed |= StatementMaps.state(t.consent, e.getKey(), e.getValue(), at, ev.id());
                // the history keeps every statement, also one that came late and does not win
                writes.consent(new ProfileWrites.ConsentRow(target, e.getKey(), e.getValue(), at, ev.id(), type, source));
            }
        }
        t.dirty |= changed;

        if (!ev.type().equals(EventTypes.IDENTITY_LINKED)) {
            ObjectNode summary = p.summary.deepCopy();
            List<Unlinked> all = new ArrayList<>(p.blocked);
            all.addAll(unlinked);
            if (!all.isEmpty()) {
                ArrayNode arr = summary.putArray("unlinked");
                for (Unlinked u : all) {
                    ObjectNode n = arr.addObject();
                    n.put("type", u.key().type());
                    if (!u.key().namespace().isEmpty()) {
                        n.put("namespace", u.key().namespace());
                    }
                    n.put("value", u.key().value());
                    n.put("reason", u.reason());
                }
            }
            writes.timeline(new ProfileWrites.TimelineRow(target, ev.id(), IdentityPolicy.stripNul(ev.type()), at, source, Json.write(summary),
                    identitiesJson(p)));
        }
        Order o = ev.data().order();
        if (o != null && EventCheck.isOrderEvent(ev.type())) {
            String state = ev.type().equals(EventTypes.STORE_PURCHASED) ? "completed" : ev.type().substring("order.".length());
            writes.order(new ProfileWrites.OrderRow(source, IdentityPolicy.stripNul(o.id()), target, CheckedEvent.connectorOf(source), state,
                    stateRank(state), o.status() == null ? null : IdentityPolicy.stripNul(o.status()),
                    IdentityPolicy.stripNul(o.currency()).toUpperCase(Locale.ROOT), o.totalMinor(), at, at, ev.id()));
            if (!o.lines().isEmpty()) {
                writes.orderLines(new ProfileWrites.OrderLinesRow(source, IdentityPolicy.stripNul(o.id()), at, o.lines()));
            }
        }
        writes.processed(ev.id(), target);
        processed.put(ev.id(), target);
        if (Boolean.FALSE.equals(ev.data().consent() == null ? null : ev.data().consent().crossChannelLinking())
                && t.declinedLinking() && withdrawal.spansPlatforms(t)) {
            writes.flush(graph);
            withdrawal.split(t, planner.eventChannel(p), ev.id(), merger);
            loader.load(graph, keys);
        }
        return target;
    }

    private ProfileWrites.IdentityRow identityRow(IdKey k, UUID owner, Instant at, String source, String eventId) {
        IdentityGraph.Sighting orders = graph.profile(owner).weakOrders.get(k);
        return new ProfileWrites.IdentityRow(k, owner, at, at, source, eventId, graph.heldBy(k), orders == null ? 0 : orders.observations(),
                orders == null ? null : orders.lastOrder());
    }

    /** The event's linkable identities as the timeline keeps them: {@code [[type, namespace, value, evidence], ...]}. */
    private static String identitiesJson(CheckedEvent p) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (IdKey k : p.candidates) {
            Evidence e = p.evidence.get(k);
            arr.addArray().add(k.type()).add(k.namespace()).add(k.value()).add(e == null ? null : e.name().toLowerCase(Locale.ROOT));
        }
        return Json.write(arr);
    }

    static int stateRank(String state) {
        return switch (state) {
            case "created" -> 1;
            case "paid" -> 2;
            case "shipped" -> 3;
            case "completed" -> 4;
            case "cancelled" -> 5;
            case "refunded" -> 6;
            default -> 0;
        };
    }

    private UUID newProfile() {
        UUID id = Uuids.v7(now);
        ProfileState p = new ProfileState(id, now, true, Json.MAPPER.createObjectNode(), Json.MAPPER.createObjectNode());
        p.isNew = true;
        graph.add(p);
        writes.newProfile(p);
        return id;
    }
}
