package io.omnihub.crm;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at applying a batch in one transaction (the caller owns the connection, commits and
 * retries). Reads everything the batch needs in a few statements after taking the identity locks,
 * decides in memory, and writes with JDBC batches: a handful of round trips per batch, not per event.
 *
 * <p>In {@code isolate} mode (used after a fast attempt failed on bad data) every event runs in its
 * own savepoint and is written before the next one, so a database-rejected event is reported
 * REJECTED and the others still apply.
 */
final class BatchRun {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

    static final String REASON_CONSENT = "consent: cross-channel linking declined";
    static final String REASON_NOT_LINKABLE = "type not linkable";
    static final String REASON_BLOCKED = "blocked value";
    static final String REASON_INVALID = "invalid value";
    static final String REASON_MERGE_BLOCKED = "merge blocked: the profiles were unmerged";
    private static final int MAX_TEXT = 2000;

    private final Connection c;
    private final IdentityPolicy policy;
    private final boolean isolate;
    private final Instant now;
    private final OffsetDateTime nowUtc;

    // state, authoritative for this transaction once the locks are held
    private final Map<IdKey, UUID> owner = new HashMap<>();
    private final Map<UUID, Cust> customers = new HashMap<>();
    private final Map<String, UUID> processed = new HashMap<>();

    // pending writes
    private final List<Cust> newCustomers = new ArrayList<>();
    private final List<Object[]> identityWrites = new ArrayList<>();
    private final List<Object[]> unlinkedWrites = new ArrayList<>();
    private final List<Object[]> timelineWrites = new ArrayList<>();
    private final List<Object[]> orderWrites = new ArrayList<>();
    private final List<Object[]> processedWrites = new ArrayList<>();

    BatchRun(Connection c, IdentityPolicy policy, Instant now, boolean isolate) {
        this.c = c;
        this.policy = policy;
        this.isolate = isolate;
        this.now = now;
        this.nowUtc = Ids.utc(now);
    }

    static final class Cust {
        final UUID id;
        final Instant createdAt;
        boolean active;
        ObjectNode attrs;
        ObjectNode consent;
        final Set<UUID> blockedWith = new HashSet<>();
        final Set<IdKey> ids = new HashSet<>();
        boolean isNew;
        boolean dirty;

        Cust(UUID id, Instant createdAt, boolean active, ObjectNode attrs, ObjectNode consent) {
            this.id = id;
            this.createdAt = createdAt;
            this.active = active;
            this.attrs = attrs;
            this.consent = consent;
        }
    }

    record Unl(IdKey key, String reason) {
    }

    /** An event checked and normalized before touching the database. */
    static final class Prepared {
        final CustomerEvent ev;
        String reject;
        final List<IdKey> candidates = new ArrayList<>();
        final List<Unl> notLinkable = new ArrayList<>();
        final List<Unl> blocked = new ArrayList<>();
        ObjectNode summary;
        ObjectNode attributes;

        Prepared(CustomerEvent ev) {
            this.ev = ev;
        }
    }

    record Plan(List<UUID> profiles, List<IdKey> match, List<Unl> dropped) {
    }

    // ------------------------------------------------------------------------------------------
    // the batch

    BatchResult run(List<CustomerEvent> events) throws SQLException {
        List<Prepared> prepared = new ArrayList<>(events.size());
        TreeSet<IdKey> keys = new TreeSet<>();
        List<String> eventIds = new ArrayList<>();
        for (CustomerEvent ev : events) {
            Prepared p = prepare(ev);
            prepared.add(p);
            if (p.reject == null) {
                keys.addAll(p.candidates);
            }
            if (ev != null && ev.id() != null) {
                eventIds.add(ev.id());
            }
        }
        lockIdentities(keys);
        loadProcessed(eventIds);
        load(keys);

        List<BatchResult.Outcome> outcomes = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            String id = p.ev == null ? null : p.ev.id();
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
                flush();
                c.releaseSavepoint(sp);
                outcomes.add(new BatchResult.Outcome(id, BatchResult.Status.APPLIED, cid.toString(), null));
            } catch (SQLException e) {
                if (!Db.dataError(e)) {
                    throw e;
                }
                c.rollback(sp);
                clearPending();
                processed.remove(id);
                LOG.warn("event {} rejected by the database: {}", id, e.getMessage());
                outcomes.add(new BatchResult.Outcome(id, BatchResult.Status.REJECTED, null,
                        "database rejected the event: " + e.getMessage()));
                load(keys);
            }
        }
        flush();
        return new BatchResult(outcomes);
    }

    /** Locks and loads the two profiles, merges the younger into the older; returns [audit, survivor, merged]. */
    UUID[] manualMerge(UUID a, UUID b, String reason) throws SQLException {
        lockCustomers(new TreeSet<>(List.of(a, b)));
        Cust ca = customers.get(a);
        Cust cb = customers.get(b);
        if (ca == null || cb == null) {
            throw new IllegalArgumentException("no such customer: " + (ca == null ? a : b));
        }
        if (!ca.active || !cb.active) {
            throw new IllegalStateException("customer " + (ca.active ? b : a) + " was merged already");
        }
        readIdentities(Set.of());
        List<Cust> two = new ArrayList<>(List.of(ca, cb));
        two.sort(OLDEST_FIRST);
        UUID audit = merge(two.get(0).id, two.get(1).id, null, reason);
        flush();
        return new UUID[] {audit, two.get(0).id, two.get(1).id};
    }

    private static final Comparator<Cust> OLDEST_FIRST = Comparator.comparing((Cust x) -> x.createdAt).thenComparing(x -> x.id);

    // ------------------------------------------------------------------------------------------
    // preparation (no database)

    Prepared prepare(CustomerEvent ev) {
        Prepared p = new Prepared(ev);
        if (ev == null) {
            p.reject = "event is null";
            return p;
        }
        if (ev.id().isBlank() || ev.id().length() > 512 || ev.id().indexOf('\0') >= 0) {
            p.reject = "event id is empty, too long or not text";
            return p;
        }
        CustomerEventData d = ev.data();
        if (d.identities().isEmpty()) {
            p.reject = "event has no identities";
            return p;
        }
        Set<IdKey> seen = new HashSet<>();
        for (Identity raw : d.identities()) {
            if (raw == null) {
                continue;
            }
            var norm = policy.normalize(raw);
            if (norm.isEmpty()) {
                IdKey k = new IdKey(IdentityPolicy.stripNul(raw.type()), raw.namespace() == null ? "" : IdentityPolicy.stripNul(raw.namespace()),
                        IdentityPolicy.stripNul(raw.value().length() > 256 ? raw.value().substring(0, 256) : raw.value()));
                p.blocked.add(new Unl(k, REASON_INVALID));
                continue;
            }
            Identity id = norm.get();
            IdKey k = IdKey.of(id);
            if (!seen.add(k)) {
                continue;
            }
            if (policy.isBlocked(id)) {
                p.blocked.add(new Unl(k, REASON_BLOCKED));
            } else if (!policy.rule(id.type()).linkable()) {
                p.notLinkable.add(new Unl(k, REASON_NOT_LINKABLE));
            } else {
                p.candidates.add(k);
            }
        }
        if (p.candidates.isEmpty()) {
            List<Unl> all = new ArrayList<>(p.blocked);
            all.addAll(p.notLinkable);
            StringBuilder sb = new StringBuilder(p.notLinkable.isEmpty()
                    ? "every identity is blocked or invalid: " : "no linkable identity: ");
            for (int i = 0; i < all.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(all.get(i).key().masked()).append(" (").append(all.get(i).reason()).append(')');
            }
            p.reject = sb.toString();
            return p;
        }
        Order o = d.order();
        if (o != null && isOrderEvent(ev.type())) {
            if (o.id().isBlank() || o.currency().isBlank()) {
                p.reject = "order id or currency is empty";
                return p;
            }
        }
        try {
            p.summary = summary(ev);
            ObjectNode attrs = Json.MAPPER.createObjectNode();
            for (Map.Entry<String, Object> e : d.attributes().entrySet()) {
                JsonNode v = Json.clean(Json.tree(e.getValue()));
                if (!isEmpty(v)) {
                    attrs.set(IdentityPolicy.stripNul(e.getKey()), v);
                }
            }
            p.attributes = attrs;
        } catch (IllegalArgumentException e) {
            p.reject = "event data cannot be stored: " + e.getMessage();
        }
        return p;
    }

    static boolean isOrderEvent(String type) {
        return type.startsWith("order.") || type.equals(EventTypes.STORE_PURCHASED);
    }

    private static boolean isEmpty(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode()
                || (v.isString() && v.stringValue().isBlank())
                || ((v.isArray() || v.isObject()) && v.isEmpty());
    }

    private static ObjectNode summary(CustomerEvent ev) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        CustomerEventData d = ev.data();
        if (d.message() != null) {
            ObjectNode m = s.putObject("message");
            if (d.message().kind() != null) {
                m.put("kind", d.message().kind());
            }
            if (d.message().text() != null) {
                String t = d.message().text();
                m.put("text", t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) + "…" : t);
            }
        }
        if (d.order() != null) {
            Order o = d.order();
            ObjectNode m = s.putObject("order");
            m.put("id", o.id());
            if (o.status() != null) {
                m.put("status", o.status());
            }
            m.put("currency", o.currency());
            m.put("totalMinor", o.totalMinor());
            m.put("lines", o.lines().size());
        }
        if (d.consent() != null) {
            ObjectNode m = s.putObject("consent");
            if (d.consent().crossChannelLinking() != null) {
                m.put("crossChannelLinking", d.consent().crossChannelLinking());
            }
            if (d.consent().marketing() != null) {
                m.put("marketing", d.consent().marketing());
            }
        }
        if (!d.extra().isEmpty()) {
            s.set("extra", Json.tree(new TreeMap<>(d.extra())));
        }
        return (ObjectNode) Json.clean(s);
    }

    // ------------------------------------------------------------------------------------------
    // loading and locking

    private void lockIdentities(Collection<IdKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        Long[] lockKeys = keys.stream().map(IdKey::lockKey).distinct().sorted().toArray(Long[]::new);
        try (PreparedStatement ps = c.prepareStatement("select crm_lock_keys(?)")) {
            ps.setArray(1, c.createArrayOf("int8", lockKeys));
            ps.execute();
        }
    }

    private void loadProcessed(List<String> eventIds) throws SQLException {
        if (eventIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select event_id, customer_id from crm_processed_event where event_id = any(?)")) {
            ps.setArray(1, Db.texts(c, eventIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    processed.put(rs.getString(1), rs.getObject(2, UUID.class));
                }
            }
        }
    }

    private static final String CUSTOMER_COLUMNS = "select c.id, c.created_at, c.status, c.attributes::text, c.consent::text, "
            + "array(select b.other_id from crm_merge_block b where b.customer_id = c.id) from crm_customer c ";

    /**
     * Locks the profiles owning {@code keys} and reads their identities, until every owner is locked:
     * a concurrent merge may move an identity between our read and our lock, so we read again after
     * locking and lock what we missed.
     */
    private void load(Collection<IdKey> keys) throws SQLException {
        owner.clear();
        customers.clear();
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(CUSTOMER_COLUMNS
                + "where c.id in (select i.customer_id from crm_identity i "
                + "join unnest(?::text[], ?::text[], ?::text[]) as k(t, n, v) on i.type = k.t and i.namespace = k.n and i.value = k.v) "
                + "order by c.id for update of c")) {
            Db.bindKeys(c, ps, 1, keys);
            readCustomers(ps);
        }
        for (int round = 0; ; round++) {
            readIdentities(keys);
            Set<UUID> missing = new TreeSet<>();
            for (IdKey k : keys) {
                UUID o = owner.get(k);
                if (o != null && (!customers.containsKey(o) || !customers.get(o).active)) {
                    missing.add(o);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            if (round >= 20) {
                throw new SQLException("identity graph kept changing while locking", "40001");
            }
            lockCustomers(missing);
        }
    }

    private void lockCustomers(Set<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CUSTOMER_COLUMNS + "where c.id = any(?) order by c.id for update of c")) {
            ps.setArray(1, Db.uuids(c, ids));
            readCustomers(ps);
        }
    }

    private void readCustomers(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                Cust cu = new Cust(id, rs.getObject(2, OffsetDateTime.class).toInstant(), "active".equals(rs.getString(3)),
                        Json.object(rs.getString(4)), Json.object(rs.getString(5)));
                java.sql.Array blocks = rs.getArray(6);
                if (blocks != null) {
                    for (Object o : (Object[]) blocks.getArray()) {
                        cu.blockedWith.add((UUID) o);
                    }
                }
                customers.put(id, cu);
            }
        }
    }

    /** Reads the owners of {@code keys} and every identity of the locked profiles. */
    private void readIdentities(Collection<IdKey> keys) throws SQLException {
        owner.clear();
        customers.values().forEach(cu -> cu.ids.clear());
        try (PreparedStatement ps = c.prepareStatement(
                "select i.type, i.namespace, i.value, i.customer_id from crm_identity i where i.customer_id = any(?) "
                        + "union select i.type, i.namespace, i.value, i.customer_id from crm_identity i "
                        + "join unnest(?::text[], ?::text[], ?::text[]) as k(t, n, v) on i.type = k.t and i.namespace = k.n and i.value = k.v")) {
            ps.setArray(1, Db.uuids(c, customers.keySet()));
            Db.bindKeys(c, ps, 2, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    IdKey k = new IdKey(rs.getString(1), rs.getString(2), rs.getString(3));
                    UUID o = rs.getObject(4, UUID.class);
                    owner.put(k, o);
                    Cust cu = customers.get(o);
                    if (cu != null) {
                        cu.ids.add(k);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // linking decisions (pure: reads the state, changes nothing)

    Plan plan(Prepared p) {
        List<IdKey> match = new ArrayList<>(p.candidates);
        List<Unl> dropped = new ArrayList<>();

        // consent-aware linking
        String channel = eventChannel(p);
        Boolean stated = p.ev.data().consent() == null ? null : p.ev.data().consent().crossChannelLinking();
        Set<UUID> anchors = new HashSet<>();
        Set<UUID> touched = new LinkedHashSet<>();
        for (IdKey k : match) {
            UUID o = owner.get(k);
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
            if (declined(customers.get(u)) && !(Boolean.TRUE.equals(stated) && anchors.contains(u))) {
                restricted = true;
            }
        }
        if (restricted) {
            for (IdKey k : List.copyOf(match)) {
                String ch = policy.channelOf(k.type());
                UUID o = owner.get(k);
                boolean otherChannel = !ch.equals(IdentityPolicy.GLOBAL) && !ch.equals(channel);
                boolean incompatibleOwner = o != null && !anchors.contains(o) && !channelsOf(customers.get(o)).stream().allMatch(channel::equals);
                if (otherChannel || incompatibleOwner) {
                    match.remove(k);
                    dropped.add(new Unl(k, REASON_CONSENT));
                }
            }
        }

        // per-profile limits and merge blocks: drop the lowest-priority identifier involved
        while (true) {
            Set<UUID> profiles = owners(match);
            Violation v = violation(profiles, match);
            if (v == null) {
                break;
            }
            IdKey drop = v.involved.stream().min(Comparator.<IdKey>comparingInt(k -> policy.rule(k.type()).priority())
                    .thenComparing(Comparator.naturalOrder())).orElseThrow();
            match.remove(drop);
            dropped.add(new Unl(drop, v.reason));
        }
        List<UUID> profiles = owners(match).stream().map(customers::get).sorted(OLDEST_FIRST).map(x -> x.id).toList();
        return new Plan(profiles, match, dropped);
    }

    private record Violation(String reason, List<IdKey> involved) {
    }

    private Violation violation(Set<UUID> profiles, List<IdKey> match) {
        List<UUID> list = new ArrayList<>(profiles);
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                UUID a = list.get(i);
                UUID b = list.get(j);
                if (customers.get(a).blockedWith.contains(b) || customers.get(b).blockedWith.contains(a)) {
                    List<IdKey> involved = match.stream().filter(k -> a.equals(owner.get(k)) || b.equals(owner.get(k))).toList();
                    return new Violation(REASON_MERGE_BLOCKED, involved);
                }
            }
        }
        Map<String, Set<IdKey>> after = new TreeMap<>();
        Map<String, Integer> before = new HashMap<>();
        for (UUID u : profiles) {
            Map<String, Integer> own = new HashMap<>();
            for (IdKey k : customers.get(u).ids) {
                String g = group(k);
                after.computeIfAbsent(g, x -> new HashSet<>()).add(k);
                own.merge(g, 1, Integer::sum);
            }
            own.forEach((g, n) -> before.merge(g, n, Math::max));
        }
        for (IdKey k : match) {
            if (owner.get(k) == null) {
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
                        .filter(k -> owner.get(k) != null || group(k).equals(g))
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

    private Set<UUID> owners(Collection<IdKey> keys) {
        Set<UUID> out = new LinkedHashSet<>();
        for (IdKey k : keys) {
            UUID o = owner.get(k);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * The channel of the event: its connector's when it carries an identity of that channel, else the
     * channel of its highest-priority channel-specific identity, else its connector's.
     */
    private String eventChannel(Prepared p) {
        String connector = Ids.connectorOf(p.ev.source());
        if (p.candidates.stream().anyMatch(k -> policy.channelOf(k.type()).equals(connector))) {
            return connector;
        }
        return p.candidates.stream()
                .filter(k -> !policy.channelOf(k.type()).equals(IdentityPolicy.GLOBAL))
                .max(Comparator.<IdKey>comparingInt(k -> policy.rule(k.type()).priority()).thenComparing(Comparator.reverseOrder()))
                .map(k -> policy.channelOf(k.type()))
                .orElse(connector);
    }

    private Set<String> channelsOf(Cust cu) {
        Set<String> out = new TreeSet<>();
        for (IdKey k : cu.ids) {
            String ch = policy.channelOf(k.type());
            if (!ch.equals(IdentityPolicy.GLOBAL)) {
                out.add(ch);
            }
        }
        return out;
    }

    private static boolean declined(Cust cu) {
        JsonNode e = cu.consent.get("crossChannelLinking");
        return e != null && e.path("v").isBoolean() && !e.path("v").booleanValue();
    }

    // ------------------------------------------------------------------------------------------
    // applying (changes the state and queues writes)

    private UUID applyOne(Prepared p) throws SQLException {
        Plan plan = plan(p);
        CustomerEvent ev = p.ev;
        Instant at = ev.time().toInstant();
        UUID target;
        if (plan.profiles().isEmpty()) {
            target = newCustomer();
        } else {
            target = plan.profiles().get(0);
            for (UUID other : plan.profiles().subList(1, plan.profiles().size())) {
                merge(target, other, ev.id(), "linked by event " + ev.id());
            }
        }
        Cust t = customers.get(target);
        String source = IdentityPolicy.stripNul(ev.source());
        for (IdKey k : plan.match()) {
            if (owner.get(k) == null) {
                owner.put(k, target);
                t.ids.add(k);
            }
            identityWrites.add(new Object[] {k.type(), k.namespace(), k.value(), target, Ids.utc(at), Ids.utc(at), source, ev.id()});
        }
        List<Unl> unlinked = new ArrayList<>();
        for (Unl u : plan.dropped()) {
            if (!target.equals(owner.get(u.key()))) {
                unlinked.add(u);
            } else {
                identityWrites.add(new Object[] {u.key().type(), u.key().namespace(), u.key().value(), target, Ids.utc(at), Ids.utc(at), source, ev.id()});
            }
        }
        unlinked.addAll(p.notLinkable);
        for (Unl u : unlinked) {
            unlinkedWrites.add(new Object[] {target, u.key().type(), u.key().namespace(), u.key().value(), u.reason(), Ids.utc(at), Ids.utc(at), source, ev.id()});
        }

        // attributes and consent: the most recent statement wins
        boolean changed = false;
        for (Map.Entry<String, JsonNode> e : p.attributes.properties()) {
            changed |= state(t.attrs, e.getKey(), e.getValue(), at, ev.id());
        }
        if (ev.data().consent() != null) {
            if (ev.data().consent().crossChannelLinking() != null) {
                changed |= state(t.consent, "crossChannelLinking", Json.tree(ev.data().consent().crossChannelLinking()), at, ev.id());
            }
            if (ev.data().consent().marketing() != null) {
                changed |= state(t.consent, "marketing", Json.tree(ev.data().consent().marketing()), at, ev.id());
            }
        }
        t.dirty |= changed;

        if (!ev.type().equals(EventTypes.IDENTITY_LINKED)) {
            ObjectNode summary = p.summary.deepCopy();
            List<Unl> all = new ArrayList<>(p.blocked);
            all.addAll(unlinked);
            if (!all.isEmpty()) {
                ArrayNode arr = summary.putArray("unlinked");
                for (Unl u : all) {
                    ObjectNode n = arr.addObject();
                    n.put("type", u.key().type());
                    if (!u.key().namespace().isEmpty()) {
                        n.put("namespace", u.key().namespace());
                    }
                    n.put("value", u.key().value());
                    n.put("reason", u.reason());
                }
            }
            timelineWrites.add(new Object[] {target, ev.id(), IdentityPolicy.stripNul(ev.type()), Ids.utc(at), source, Json.write(summary), nowUtc});
        }
        Order o = ev.data().order();
        if (o != null && isOrderEvent(ev.type())) {
            String state = ev.type().equals(EventTypes.STORE_PURCHASED) ? "completed" : ev.type().substring("order.".length());
            orderWrites.add(new Object[] {source, IdentityPolicy.stripNul(o.id()), target, Ids.connectorOf(source), state, stateRank(state),
                    o.status() == null ? null : IdentityPolicy.stripNul(o.status()), IdentityPolicy.stripNul(o.currency()).toUpperCase(java.util.Locale.ROOT),
                    o.totalMinor(), Ids.utc(at), Ids.utc(at), ev.id(), nowUtc});
        }
        processedWrites.add(new Object[] {ev.id(), target, nowUtc});
        processed.put(ev.id(), target);
        return target;
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

    /** Sets {@code name} when the statement at {@code at} is at least as recent as the stored one. */
    private static boolean state(ObjectNode map, String name, JsonNode value, Instant at, String eventId) {
        JsonNode cur = map.get(name);
        if (cur != null && cur.hasNonNull("at") && Instant.parse(cur.get("at").asString()).isAfter(at)) {
            return false;
        }
        if (cur != null && cur.path("v").equals(value)) {
            if (cur.hasNonNull("at") && Instant.parse(cur.get("at").asString()).equals(at)) {
                return false;
            }
        }
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.set("v", value);
        e.put("at", at.toString());
        e.put("ev", eventId);
        map.set(name, e);
        return true;
    }

    /**
     * Combines {@code from} into {@code into} (the more recent statement wins per name) and returns
     * the previous entries of {@code into} that changed (null node when it had none).
     */
    static ObjectNode combine(ObjectNode into, ObjectNode from) {
        ObjectNode before = Json.MAPPER.createObjectNode();
        from.properties().forEach(e -> {
            JsonNode cur = into.get(e.getKey());
            Instant theirs = e.getValue().hasNonNull("at") ? Instant.parse(e.getValue().get("at").asString()) : Instant.MIN;
            Instant ours = cur != null && cur.hasNonNull("at") ? Instant.parse(cur.get("at").asString()) : null;
            if (ours == null || theirs.isAfter(ours)) {
                before.set(e.getKey(), cur == null ? NullNode.getInstance() : cur.deepCopy());
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return before;
    }

    private UUID newCustomer() {
        UUID id = Ids.v7(now);
        Cust cu = new Cust(id, now, true, Json.MAPPER.createObjectNode(), Json.MAPPER.createObjectNode());
        cu.isNew = true;
        customers.put(id, cu);
        newCustomers.add(cu);
        return id;
    }

    private static final Named MERGE = Named.of("""
            with ids as (
                update crm_identity set customer_id = :t where customer_id = :s returning type, namespace, value
            ), unl as (
                update crm_identity_unlinked u set customer_id = :t
                 where u.customer_id = :s
                   and not exists (select 1 from crm_identity_unlinked x where x.customer_id = :t
                                   and x.type = u.type and x.namespace = u.namespace and x.value = u.value)
                returning u.type, u.namespace, u.value
            ), tl as (
                update crm_timeline set customer_id = :t where customer_id = :s returning id
            ), ord as (
                update crm_order set customer_id = :t where customer_id = :s returning source, order_id
            ), tg as (
                insert into crm_tag (customer_id, tag, added_at, merge_audit_id)
                select :t, tag, added_at, :audit from crm_tag where customer_id = :s
                on conflict do nothing returning tag
            ), sc as (
                insert into crm_score (customer_id, name, value)
                select :t, name, value from crm_score where customer_id = :s
                on conflict (customer_id, name) do update set value = crm_score.value + excluded.value
                returning name
            ), b1 as (
                insert into crm_merge_block (customer_id, other_id, created_at, merge_audit_id)
                select :t, other_id, :now, merge_audit_id from crm_merge_block where customer_id = :s and other_id <> :t
                on conflict do nothing
            ), b2 as (
                insert into crm_merge_block (customer_id, other_id, created_at, merge_audit_id)
                select customer_id, :t, :now, merge_audit_id from crm_merge_block where other_id = :s and customer_id <> :t
                on conflict do nothing
            ), st as (
                update crm_customer set status = 'merged', updated_at = :now where id = :s
            ), al as (
                insert into crm_customer_alias (merged_id, surviving_id, merge_audit_id, created_at) values (:s, :t, :audit, :now)
            )
            insert into crm_merge_audit (id, surviving_id, merged_id, evidence_event_id, reason, merged_at, snapshot)
            select :audit, :t, :s, :evidence, :reason, :now, jsonb_build_object(
                'identities', coalesce((select jsonb_agg(jsonb_build_array(type, namespace, value)) from ids), '[]'::jsonb),
                'unlinked', coalesce((select jsonb_agg(jsonb_build_array(type, namespace, value)) from unl), '[]'::jsonb),
                'timeline', coalesce((select jsonb_agg(id) from tl), '[]'::jsonb),
                'orders', coalesce((select jsonb_agg(jsonb_build_array(source, order_id)) from ord), '[]'::jsonb),
                'tags', coalesce((select jsonb_agg(tag) from tg), '[]'::jsonb),
                'scores', coalesce((select jsonb_agg(name) from sc), '[]'::jsonb),
                'attributesBefore', :attrsBefore::jsonb,
                'consentBefore', :consentBefore::jsonb)
            """);

    /** Merges {@code s} into {@code t} (both locked, active): moves what {@code s} owns, audits it. */
    private UUID merge(UUID tId, UUID sId, String evidenceEventId, String reason) throws SQLException {
        flush();
        Cust t = customers.get(tId);
        Cust s = customers.get(sId);
        ObjectNode attrsBefore = combine(t.attrs, s.attrs);
        ObjectNode consentBefore = combine(t.consent, s.consent);
        t.dirty = true;
        UUID audit = Ids.v7(now);
        Map<String, Object> params = new HashMap<>();
        params.put("t", tId);
        params.put("s", sId);
        params.put("audit", audit);
        params.put("now", nowUtc);
        params.put("evidence", evidenceEventId);
        params.put("reason", reason == null ? "manual" : reason);
        params.put("attrsBefore", Json.write(attrsBefore));
        params.put("consentBefore", Json.write(consentBefore));
        try (PreparedStatement ps = MERGE.prepare(c, params)) {
            ps.executeUpdate();
        }
        for (IdKey k : s.ids) {
            owner.put(k, tId);
            t.ids.add(k);
        }
        s.ids.clear();
        s.active = false;
        for (UUID x : s.blockedWith) {
            if (!x.equals(tId)) {
                t.blockedWith.add(x);
                Cust cx = customers.get(x);
                if (cx != null) {
                    cx.blockedWith.add(tId);
                }
            }
        }
        LOG.info("merged customer {} into {} (audit {}, evidence {})", sId, tId, audit, evidenceEventId);
        return audit;
    }

    // ------------------------------------------------------------------------------------------
    // writing

    private void clearPending() {
        newCustomers.clear();
        identityWrites.clear();
        unlinkedWrites.clear();
        timelineWrites.clear();
        orderWrites.clear();
        processedWrites.clear();
    }

    void flush() throws SQLException {
        if (!newCustomers.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crm_customer (id, created_at, updated_at, status, attributes, consent) values (?, ?, ?, 'active', ?::jsonb, ?::jsonb)")) {
                for (Cust cu : newCustomers) {
                    ps.setObject(1, cu.id);
                    ps.setObject(2, Ids.utc(cu.createdAt));
                    ps.setObject(3, nowUtc);
                    ps.setString(4, Json.write(cu.attrs));
                    ps.setString(5, Json.write(cu.consent));
                    ps.addBatch();
                    cu.isNew = false;
                    cu.dirty = false;
                }
                ps.executeBatch();
            }
            newCustomers.clear();
        }
        List<Cust> dirty = customers.values().stream().filter(x -> x.dirty && !x.isNew).sorted(Comparator.comparing(x -> x.id)).toList();
        if (!dirty.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "update crm_customer set attributes = ?::jsonb, consent = ?::jsonb, updated_at = ? where id = ?")) {
                for (Cust cu : dirty) {
                    ps.setString(1, Json.write(cu.attrs));
                    ps.setString(2, Json.write(cu.consent));
                    ps.setObject(3, nowUtc);
                    ps.setObject(4, cu.id);
                    ps.addBatch();
                    cu.dirty = false;
                }
                ps.executeBatch();
            }
        }
        batch("""
                insert into crm_identity (type, namespace, value, customer_id, first_seen_at, last_seen_at, source, event_id)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (type, namespace, value) do update set
                  source = case when excluded.first_seen_at < crm_identity.first_seen_at then excluded.source else crm_identity.source end,
                  event_id = case when excluded.first_seen_at < crm_identity.first_seen_at then excluded.event_id else crm_identity.event_id end,
                  first_seen_at = least(crm_identity.first_seen_at, excluded.first_seen_at),
                  last_seen_at = greatest(crm_identity.last_seen_at, excluded.last_seen_at)
                """, fold(identityWrites, 3, BatchRun::foldIdentity));
        batch("""
                insert into crm_identity_unlinked (customer_id, type, namespace, value, reason, first_seen_at, last_seen_at, source, event_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (customer_id, type, namespace, value) do update set
                  reason = excluded.reason,
                  first_seen_at = least(crm_identity_unlinked.first_seen_at, excluded.first_seen_at),
                  last_seen_at = greatest(crm_identity_unlinked.last_seen_at, excluded.last_seen_at)
                """, fold(unlinkedWrites, 4, BatchRun::foldUnlinked));
        batch("insert into crm_timeline (customer_id, event_id, type, time, source, summary, recorded_at) values (?, ?, ?, ?, ?, ?::jsonb, ?)",
                timelineWrites);
        batch("""
                insert into crm_order (source, order_id, customer_id, channel, state, state_rank, status, currency, total_minor,
                                       ordered_at, last_event_at, last_event_id, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (source, order_id) do update set
                  customer_id = excluded.customer_id,
                  state = case when newer then excluded.state else crm_order.state end,
                  state_rank = case when newer then excluded.state_rank else crm_order.state_rank end,
                  status = case when newer then excluded.status else crm_order.status end,
                  currency = case when newer then excluded.currency else crm_order.currency end,
                  total_minor = case when newer then excluded.total_minor else crm_order.total_minor end,
                  last_event_id = case when newer then excluded.last_event_id else crm_order.last_event_id end,
                  ordered_at = least(crm_order.ordered_at, excluded.ordered_at),
                  last_event_at = greatest(crm_order.last_event_at, excluded.last_event_at),
                  updated_at = excluded.updated_at
                """.replace("newer", "(excluded.last_event_at, excluded.state_rank) >= (crm_order.last_event_at, crm_order.state_rank)"),
                fold(orderWrites, 2, BatchRun::foldOrder));
        batch("insert into crm_processed_event (event_id, customer_id, applied_at) values (?, ?, ?)", processedWrites);
    }

    /**
     * Folds rows with the same key (the first {@code keyColumns} values) into one, so that no JDBC
     * batch upserts a key twice: with {@code reWriteBatchedInserts} the driver would send them as one
     * multi-row INSERT ... ON CONFLICT DO UPDATE, which PostgreSQL refuses. Clears {@code rows}.
     */
    private static List<Object[]> fold(List<Object[]> rows, int keyColumns, java.util.function.BinaryOperator<Object[]> combine) {
        Map<List<Object>, Object[]> byKey = new java.util.LinkedHashMap<>();
        for (Object[] row : rows) {
            byKey.merge(java.util.Arrays.asList(row).subList(0, keyColumns), row, combine);
        }
        rows.clear();
        return new ArrayList<>(byKey.values());
    }

    private static boolean before(Object a, Object b) {
        return ((OffsetDateTime) a).isBefore((OffsetDateTime) b);
    }

    // [type, namespace, value, customer, first, last, source, event]
    private static Object[] foldIdentity(Object[] a, Object[] b) {
        Object[] r = a.clone();
        r[3] = b[3];
        if (before(b[4], a[4])) {
            r[4] = b[4];
            r[6] = b[6];
            r[7] = b[7];
        }
        if (before(a[5], b[5])) {
            r[5] = b[5];
        }
        return r;
    }

    // [customer, type, namespace, value, reason, first, last, source, event]
    private static Object[] foldUnlinked(Object[] a, Object[] b) {
        Object[] r = a.clone();
        r[4] = b[4];
        if (before(b[5], a[5])) {
            r[5] = b[5];
        }
        if (before(a[6], b[6])) {
            r[6] = b[6];
        }
        return r;
    }

    // [source, order, customer, channel, state, rank, status, currency, total, orderedAt, lastEventAt, lastEvent, updatedAt]
    private static Object[] foldOrder(Object[] a, Object[] b) {
        Object[] r = a.clone();
        r[2] = b[2];
        boolean newer = !before(b[10], a[10]) && (before(a[10], b[10]) || (int) b[5] >= (int) a[5]);
        if (newer) {
            r[4] = b[4];
            r[5] = b[5];
            r[6] = b[6];
            r[7] = b[7];
            r[8] = b[8];
            r[11] = b[11];
            r[10] = b[10];
        }
        if (before(b[9], a[9])) {
            r[9] = b[9];
        }
        return r;
    }

    private void batch(String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (java.sql.BatchUpdateException e) {
            SQLException next = e.getNextException();
            throw next != null ? next : e;
        }
        rows.clear();
    }
}
