package io.omnihub.crm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The linking decision for one event, pure: the event's checked identities and the locked part of
 * the graph in, a {@link LinkPlan} out (which profiles it reaches, which identifiers link, which are
 * left out and why). No JDBC, no writes; crm-core's README states the rules it implements.
 */
final class LinkPlanner {

    private final IdentityPolicy policy;

    LinkPlanner(IdentityPolicy policy) {
        this.policy = policy;
    }

    LinkPlan plan(CheckedEvent p, IdentityGraph graph) {
        List<IdKey> match = new ArrayList<>(p.candidates);
        List<Unlinked> dropped = new ArrayList<>();

        // identifiers that behave like shared ones link nobody
        for (IdKey k : p.candidates) {
            if (graph.isShared(k)) {
                match.remove(k);
                dropped.add(new Unlinked(k, Unlinked.SHARED));
            }
        }

        // consent-aware linking
        String channel = eventChannel(p);
        Boolean stated = p.ev.data().consent() == null ? null : p.ev.data().consent().crossChannelLinking();
        Set<UUID> anchors = new HashSet<>();
        Set<UUID> touched = new LinkedHashSet<>();
        for (IdKey k : match) {
            UUID o = graph.owner(k);
            if (o != null) {
                touched.add(o);
                String ch = policy.channelOf(k.type());
                if (ch.equals(channel) || channel.equals(IdentityPolicy.GLOBAL)) {
                    anchors.add(o);
                }
            }
        }
        boolean restricted = Boolean.FALSE.equals(stated);
        for (UUID u : touched) {
            if (graph.profile(u).declinedLinking() && !(Boolean.TRUE.equals(stated) && anchors.contains(u))) {
                restricted = true;
            }
        }
        if (restricted) {
            for (IdKey k : List.copyOf(match)) {
                String ch = policy.channelOf(k.type());
                UUID o = graph.owner(k);
                boolean otherChannel = !ch.equals(IdentityPolicy.GLOBAL) && !ch.equals(channel);
                boolean incompatibleOwner = o != null && !anchors.contains(o) && !channelsOf(graph.profile(o)).stream().allMatch(channel::equals);
                if (otherChannel || incompatibleOwner) {
                    match.remove(k);
                    dropped.add(new Unlinked(k, Unlinked.CONSENT));
                }
            }
        }

        // per-profile limits and merge blocks: drop the lowest-priority identifier involved
        while (true) {
            Reach reach = reach(p, graph, match, dropped);
            Violation v = violation(graph, reach);
            if (v == null) {
                List<UUID> profiles = reach.profiles.stream().map(graph::profile).sorted(IdentityGraph.OLDEST_FIRST).map(x -> x.id).toList();
                List<IdKey> owned = new ArrayList<>(reach.attach);
                owned.addAll(reach.refresh);
                owned.addAll(reach.claims);
                dropped.addAll(reach.weakHeld);
                return new LinkPlan(profiles, owned, List.copyOf(reach.claims), List.copyOf(reach.corroborated), dropped);
            }
            // a merge block drops a shareable identifier (a phone, an e-mail) before a channel's own id:
            // the two were split because such a value is not one person's
            Comparator<IdKey> order = Comparator.<IdKey>comparingInt(k -> policy.rule(k.type()).priority()).thenComparing(Comparator.naturalOrder());
            if (v.reason.equals(Unlinked.MERGE_BLOCKED)) {
                order = Comparator.<IdKey>comparingInt(k -> policy.sharing().shareable(k.type()) ? 0 : 1).thenComparing(order);
            }
            IdKey drop = v.involved.stream().min(order).orElseThrow();
            match.remove(drop);
            dropped.add(new Unlinked(drop, v.reason));
        }
    }

    /** Where the event's identifiers lead, before limits and merge blocks are checked. */
    private static final class Reach {
        final Set<UUID> profiles = new LinkedHashSet<>();
        /** Unowned identifiers the resulting profile takes. */
        final List<IdKey> attach = new ArrayList<>();
        /** Identifiers owned by a reached profile: they link it. */
        final List<IdKey> refresh = new ArrayList<>();
        final List<IdKey> claims = new ArrayList<>();
        final List<IdKey> corroborated = new ArrayList<>();
        final List<Unlinked> weakHeld = new ArrayList<>();

        /** Identifiers the resulting profile gains that no reached profile owns. */
        List<IdKey> incoming() {
            List<IdKey> out = new ArrayList<>(attach);
            out.addAll(claims);
            return out;
        }
    }

    /**
     * The graded-evidence rules. Strong evidence (verified, stated, unspecified) reaches the owner of
     * an identifier when the owner holds it strongly too, or holds nothing strongly (a profile made of
     * weak evidence only, such as walk-in purchases with a noted phone); an established profile that
     * holds it only weakly loses it to the stronger claim. Weak evidence (noted, delivery) attaches
     * unowned identifiers, and leads the event to their owner only when the event has no strong
     * identity at all; it never joins two profiles unless corroborated on enough orders.
     */
    private Reach reach(CheckedEvent p, IdentityGraph graph, List<IdKey> match, List<Unlinked> dropped) {
        Reach r = new Reach();
        boolean anyStrong = false;
        for (IdKey k : match) {
            if (!p.strong(k)) {
                continue;
            }
            anyStrong = true;
            UUID o = graph.owner(k);
            if (o == null) {
                r.attach.add(k);
                continue;
            }
            ProfileState owner = graph.profile(o);
            if (!owner.holdsWeakly(k) || !owner.established()) {
                r.profiles.add(o);
                r.refresh.add(k);
            } else if (corroboratedHold(graph, o, k)) {
                // the holder saw it on enough orders of its own: its weak evidence now meets strong evidence
                r.profiles.add(o);
                r.refresh.add(k);
                r.corroborated.add(k);
            } else {
                r.claims.add(k);
            }
        }
        List<IdKey> weak = match.stream().filter(k -> !p.strong(k)).toList();
        if (!anyStrong) {
            // only weak identities: the event goes where the strongest of them is held, unless an
            // established profile holds it on uncorroborated weak evidence too (a parcel once sent
            // there: that profile is someone else's as likely as this person's)
            weak.stream().filter(k -> graph.owner(k) != null && soundHold(graph, graph.owner(k), k))
                    .max(Comparator.<IdKey>comparingInt(k -> policy.rule(k.type()).priority()).thenComparing(Comparator.reverseOrder()))
                    .ifPresent(k -> r.profiles.add(graph.owner(k)));
        }
        for (IdKey k : weak) {
            UUID o = graph.owner(k);
            if (o == null) {
                r.attach.add(k);
            } else if (r.profiles.contains(o)) {
                r.refresh.add(k);
            } else if (corroborated(p, graph, r.profiles, k)) {
                r.profiles.add(o);
                r.refresh.add(k);
                r.corroborated.add(k);
            } else if (graph.profile(o).holdsWeakly(k) && !corroboratedHold(graph, o, k) && corroboratedSighting(p, graph, r.profiles, k)) {
                // corroborated weak evidence outweighs a weak hold nobody corroborated
                r.claims.add(k);
            } else {
                r.weakHeld.add(new Unlinked(k, Unlinked.WEAK_HELD));
            }
        }
        return r;
    }

    /**
     * Whether the one profile the event reaches saw {@code key} on enough distinct orders, this
     * event's included, while an established profile held it strongly: then the weak evidence is
     * corroborated and links the two.
     */
    private boolean corroborated(CheckedEvent p, IdentityGraph graph, Set<UUID> reached, IdKey key) {
        UUID holderId = graph.owner(key);
        ProfileState holder = graph.profile(holderId);
        if (!holder.established() || (holder.holdsWeakly(key) && !corroboratedHold(graph, holderId, key))) {
            return false;
        }
        return corroboratedSighting(p, graph, reached, key);
    }

    /**
     * Whether the one profile the event reaches has now seen {@code key} (held by another profile) on
     * enough distinct orders, this event's included, and mostly {@code key} among the values of its
     * type: a buyer who keeps sending parcels to one phone.
     */
    private boolean corroboratedSighting(CheckedEvent p, IdentityGraph graph, Set<UUID> reached, IdKey key) {
        int needed = policy.sharing().corroborations();
        String order = p.orderId();
        if (needed == 0 || reached.size() != 1 || order == null) {
            return false;
        }
        UUID target = reached.iterator().next();
        IdentityGraph.Sighting seen = graph.sighting(target, key);
        int orders = seen == null ? 1 : seen.seenAgain(order).observations();
        return orders >= needed && graph.dominant(target, key, orders);
    }

    /** Whether {@code owner} holds {@code key} on strong or corroborated evidence, or holds nothing on strong evidence at all. */
    private boolean soundHold(IdentityGraph graph, UUID owner, IdKey key) {
        ProfileState p = graph.profile(owner);
        return !p.holdsWeakly(key) || !p.established() || corroboratedHold(graph, owner, key);
    }

    /**
     * Whether {@code holder}, which holds {@code key} on weak evidence, saw it on enough distinct
     * orders, and consistently (no other value of the type), for it to count as corroborated.
     */
    private boolean corroboratedHold(IdentityGraph graph, UUID holder, IdKey key) {
        int needed = policy.sharing().corroborations();
        int orders = graph.profile(holder).weakOrders(key);
        return needed > 0 && orders >= needed && graph.dominant(holder, key, orders);
    }

    private record Violation(String reason, List<IdKey> involved) {
    }

    private Violation violation(IdentityGraph graph, Reach reach) {
        List<UUID> list = new ArrayList<>(reach.profiles);
        List<IdKey> linking = reach.refresh;
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                UUID a = list.get(i);
                UUID b = list.get(j);
                if (graph.profile(a).blockedWith.contains(b) || graph.profile(b).blockedWith.contains(a)) {
                    List<IdKey> involved = linking.stream().filter(k -> a.equals(graph.owner(k)) || b.equals(graph.owner(k))).toList();
                    return new Violation(Unlinked.MERGE_BLOCKED, involved);
                }
            }
        }
        Map<String, Set<IdKey>> after = new TreeMap<>();
        Map<String, Integer> before = new HashMap<>();
        for (UUID u : reach.profiles) {
            Map<String, Integer> own = new HashMap<>();
            for (IdKey k : graph.profile(u).ids) {
                String g = group(k);
                after.computeIfAbsent(g, x -> new HashSet<>()).add(k);
                own.merge(g, 1, Integer::sum);
            }
            own.forEach((g, n) -> before.merge(g, n, Math::max));
        }
        List<IdKey> incoming = reach.incoming();
        for (IdKey k : incoming) {
            after.computeIfAbsent(group(k), x -> new HashSet<>()).add(k);
        }
        for (Map.Entry<String, Set<IdKey>> e : after.entrySet()) {
            String g = e.getKey();
            String type = e.getValue().iterator().next().type();
            IdentityRule rule = policy.rule(type);
            int n = e.getValue().size();
            if (n > rule.maxPerProfile() && n > before.getOrDefault(g, 0)) {
                List<IdKey> involved = new ArrayList<>(linking);
                incoming.stream().filter(k -> group(k).equals(g)).forEach(involved::add);
                if (!involved.isEmpty()) {
                    return new Violation("limit: at most " + rule.maxPerProfile() + " " + type
                            + (rule.perNamespace() ? " per namespace" : "") + " per profile", involved);
                }
            }
        }
        return null;
    }

    private String group(IdKey k) {
        return policy.rule(k.type()).perNamespace() ? k.type() + "\u0000" + k.namespace() : k.type();
    }

    /**
     * The channel of the event: its connector's when it carries an identity of that channel, else the
     * channel of its highest-priority channel-specific identity, else its connector's.
     */
    String eventChannel(CheckedEvent p) {
        String connector = CheckedEvent.connectorOf(p.ev.source());
        if (p.candidates.stream().anyMatch(k -> policy.channelOf(k.type()).equals(connector))) {
            return connector;
        }
        return p.candidates.stream()
                .filter(k -> !policy.channelOf(k.type()).equals(IdentityPolicy.GLOBAL))
                .max(Comparator.<IdKey>comparingInt(k -> policy.rule(k.type()).priority()).thenComparing(Comparator.reverseOrder()))
                .map(k -> policy.channelOf(k.type()))
                .orElse(connector);
    }

    private Set<String> channelsOf(ProfileState cu) {
        Set<String> out = new TreeSet<>();
        for (IdKey k : cu.ids) {
            String ch = policy.channelOf(k.type());
            if (!ch.equals(IdentityPolicy.GLOBAL)) {
                out.add(ch);
            }
        }
        return out;
    }
}
