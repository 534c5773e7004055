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
            Set<UUID> profiles = graph.owners(match);
            Violation v = violation(graph, profiles, match);
            if (v == null) {
                break;
            }
            IdKey drop = v.involved.stream().min(Comparator.<IdKey>comparingInt(k -> policy.rule(k.type()).priority())
                    .thenComparing(Comparator.naturalOrder())).orElseThrow();
            match.remove(drop);
            dropped.add(new Unlinked(drop, v.reason));
        }
        List<UUID> profiles = graph.owners(match).stream().map(graph::profile).sorted(IdentityGraph.OLDEST_FIRST).map(x -> x.id).toList();
        return new LinkPlan(profiles, match, dropped);
    }

    private record Violation(String reason, List<IdKey> involved) {
    }

    private Violation violation(IdentityGraph graph, Set<UUID> profiles, List<IdKey> match) {
        List<UUID> list = new ArrayList<>(profiles);
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                UUID a = list.get(i);
                UUID b = list.get(j);
                if (graph.profile(a).blockedWith.contains(b) || graph.profile(b).blockedWith.contains(a)) {
                    List<IdKey> involved = match.stream().filter(k -> a.equals(graph.owner(k)) || b.equals(graph.owner(k))).toList();
                    return new Violation(Unlinked.MERGE_BLOCKED, involved);
                }
            }
        }
        Map<String, Set<IdKey>> after = new TreeMap<>();
        Map<String, Integer> before = new HashMap<>();
        for (UUID u : profiles) {
            Map<String, Integer> own = new HashMap<>();
            for (IdKey k : graph.profile(u).ids) {
                String g = group(k);
                after.computeIfAbsent(g, x -> new HashSet<>()).add(k);
                own.merge(g, 1, Integer::sum);
            }
            own.forEach((g, n) -> before.merge(g, n, Math::max));
        }
        for (IdKey k : match) {
            if (graph.owner(k) == null) {
                after.computeIfAbsent(group(k), x -> new HashSet<>()).add(k);
            }
        }
        for (Map.Entry<String, Set<IdKey>> e : after.entrySet()) {
            String g = e.getKey();
            String type = e.getValue().iterator().next().type();
            IdentityRule rule = policy.rule(type);
            int n = e.getValue().size();
            if (n > rule.maxPerProfile() && n > before.getOrDefault(g, 0)) {
                List<IdKey> involved = match.stream()
                        .filter(k -> graph.owner(k) != null || group(k).equals(g))
                        .toList();
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
    private String eventChannel(CheckedEvent p) {
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
