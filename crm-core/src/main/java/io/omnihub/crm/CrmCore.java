package io.omnihub.crm;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.crm.automation.Automation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRM core: applies canonical events to the identity graph and profiles, and reads the single
 * customer view. Thread-safe; any number of instances (threads, hub nodes) may share one database.
 * See crm-core/README.md for the schema, the linking rules and the merge strategies.
 */
public final class CrmCore {
    private static final Logger LOG = LoggerFactory.getLogger(CrmCore.class);

    /** How many timeline entries {@link #customer(String)} includes (newest first). */
    public static final int VIEW_TIMELINE_LIMIT = 100;
    /** How often a batch is tried again after a serialization failure, deadlock or unique race. */
    public static final int MAX_ATTEMPTS = 12;

    private final DataSource ds;
    private final IdentityPolicy policy;
    private final Clock clock;
    private final Automation automation;

    public CrmCore(DataSource ds, IdentityPolicy policy, Clock clock) {
        this(ds, policy, clock, null);
    }

    /**
     * A core that also runs {@code automation} (rules, segments, journeys) for every batch it applies,
     * in the batch's transaction, so what automation does commits with the events that caused it.
     */
    public CrmCore(DataSource ds, IdentityPolicy policy, Clock clock, Automation automation) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.automation = automation;
    }

    public IdentityPolicy policy() {
        return policy;
    }

    // ------------------------------------------------------------------------------------------
    // writes

    /**
     * Applies a batch in ONE database transaction, idempotent per event id (processed ids are recorded
     * in the same transaction). An event that fails on its own (bad data, policy) is REJECTED with a
     * reason and the others apply. Serialization failures, deadlocks and unique-key races are retried
     * internally.
     *
     * @throws CrmException when the database cannot be used (nothing applied: redeliver the batch)
     */
    public BatchResult apply(List<CustomerEvent> events) {
        if (events.isEmpty()) {
            return new BatchResult(List.of());
        }
        boolean isolate = false;
        for (int attempt = 1; ; attempt++) {
            try {
                final boolean iso = isolate;
                return inTransaction(c -> {
                    Instant now = clock.instant();
                    BatchResult result = new BatchRun(c, policy, now, iso).run(events);
                    if (automation != null) {
                        automation.applied(c, events, result, now);
                    }
                    return result;
                });
            } catch (SQLException e) {
                if (Db.retryable(e) && attempt < MAX_ATTEMPTS) {
                    LOG.debug("batch attempt {} lost a race ({}), retrying", attempt, Db.state(e));
                    backoff(attempt);
                } else if (!isolate && Db.dataError(e)) {
                    LOG.info("batch hit bad data ({}), applying event by event to isolate it", e.getMessage());
                    isolate = true;
                } else {
                    throw new CrmException("could not apply batch of " + events.size() + " events: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Merges two profiles by hand (an operator's decision): the older survives, the other becomes its
     * alias. Audited like any merge and undoable with {@link #unmerge(String)}.
     */
    public MergeRecord merge(String customerIdA, String customerIdB, String reason) {
        UUID a = Ids.parse(customerIdA).orElseThrow(() -> new IllegalArgumentException("not a customer id: " + customerIdA));
        UUID b = Ids.parse(customerIdB).orElseThrow(() -> new IllegalArgumentException("not a customer id: " + customerIdB));
        UUID ra = resolveOrThrow(a);
        UUID rb = resolveOrThrow(b);
        if (ra.equals(rb)) {
            throw new IllegalStateException("already the same customer: " + ra);
        }
        UUID audit = retrying(c -> new BatchRun(c, policy, clock.instant(), false)
                .manualMerge(ra, rb, reason == null || reason.isBlank() ? "manual" : reason)[0]);
        return merges(ra.toString()).stream().filter(m -> m.id().equals(audit.toString())).findFirst().orElseThrow();
    }

    private static final Named UNMERGE = Named.of("""
            with ids as (
                update crm_identity i set customer_id = :s
                  from jsonb_array_elements(:ids::jsonb) e
                 where i.customer_id = :c and i.type = e->>0 and i.namespace = e->>1 and i.value = e->>2
                returning 1
            ), unl as (
                update crm_identity_unlinked u set customer_id = :s
                  from jsonb_array_elements(:unl::jsonb) e
                 where u.customer_id = :c and u.type = e->>0 and u.namespace = e->>1 and u.value = e->>2
                   and not exists (select 1 from crm_identity_unlinked x where x.customer_id = :s
                                   and x.type = u.type and x.namespace = u.namespace and x.value = u.value)
                returning 1
            ), tl as (
                update crm_timeline set customer_id = :s
                 where customer_id = :c and id in (select (jsonb_array_elements_text(:tl::jsonb))::bigint)
                returning 1
            ), ord as (
                update crm_order o set customer_id = :s
                  from jsonb_array_elements(:orders::jsonb) e
                 where o.customer_id = :c and o.source = e->>0 and o.order_id = e->>1
                returning 1
            ), tg as (
                delete from crm_tag where customer_id = :c and merge_audit_id = :audit
            ), sc as (
                update crm_score cs set value = cs.value - ss.value from crm_score ss
                 where ss.customer_id = :s and cs.customer_id = :c and cs.name = ss.name
            ), st as (
                update crm_customer set status = 'active', updated_at = :now where id = :s
            ), al as (
                delete from crm_customer_alias where merged_id = :s
            ), bl as (
                insert into crm_merge_block (customer_id, other_id, created_at, merge_audit_id)
                select x, y, :now, :audit from (values (:s, :c), (:c, :s), (:s, :t), (:t, :s)) p(x, y) where x <> y
                on conflict do nothing
            )
            update crm_merge_audit set undone_at = :now where id = :audit
            """);

    /**
     * Undoes a merge: the merged profile comes back with the identities, unlinked identifiers,
     * timeline entries and orders it brought; tags it brought and its scores are taken off the
     * survivor; attributes and consent it brought are reverted on the survivor unless they changed
     * since. What arrived after the merge stays on the survivor. The two are then blocked from being
     * merged again by events.
     *
     * @throws java.util.NoSuchElementException when there is no such merge
     * @throws IllegalStateException            when it was undone already
     */
    public MergeRecord unmerge(String mergeAuditId) {
        UUID audit = Ids.parse(mergeAuditId).orElseThrow(() -> new java.util.NoSuchElementException("no merge " + mergeAuditId));
        retrying(c -> {
            UUID s;
            UUID t;
            JsonNode snap;
            try (PreparedStatement ps = c.prepareStatement(
                    "select surviving_id, merged_id, snapshot::text, undone_at from crm_merge_audit where id = ? for update")) {
                ps.setObject(1, audit);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new java.util.NoSuchElementException("no merge " + mergeAuditId);
                    }
                    if (rs.getObject(4) != null) {
                        throw new IllegalStateException("merge " + mergeAuditId + " was undone already");
                    }
                    t = rs.getObject(1, UUID.class);
                    s = rs.getObject(2, UUID.class);
                    snap = Json.object(rs.getString(3));
                }
            }
            UUID cur = resolve(c, t).orElseThrow();
            Map<UUID, ObjectNode[]> rows = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, attributes::text, consent::text, status from crm_customer where id = any(?) order by id for update")) {
                ps.setArray(1, Db.uuids(c, new TreeSet<>(List.of(cur, s))));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getObject(1, UUID.class), new ObjectNode[] {Json.object(rs.getString(2)), Json.object(rs.getString(3))});
                    }
                }
            }
            Instant now = clock.instant();
            Map<String, Object> p = new HashMap<>();
            p.put("s", s);
            p.put("c", cur);
            p.put("t", t);
            p.put("audit", audit);
            p.put("now", Ids.utc(now));
            p.put("ids", snap.path("identities").toString());
            p.put("unl", snap.path("unlinked").toString());
            p.put("tl", snap.path("timeline").toString());
            p.put("orders", snap.path("orders").toString());
            try (PreparedStatement ps = UNMERGE.prepare(c, p)) {
                ps.executeUpdate();
            }
            // attributes and consent S brought: back to what the survivor had, unless changed since
            ObjectNode[] survivor = rows.get(cur);
            ObjectNode[] merged = rows.get(s);
            boolean a = revert(survivor[0], merged[0], snap.path("attributesBefore"));
            boolean b = revert(survivor[1], merged[1], snap.path("consentBefore"));
            if (a || b) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update crm_customer set attributes = ?::jsonb, consent = ?::jsonb, updated_at = ? where id = ?")) {
                    ps.setString(1, Json.write(survivor[0]));
                    ps.setString(2, Json.write(survivor[1]));
                    ps.setObject(3, Ids.utc(now));
                    ps.setObject(4, cur);
                    ps.executeUpdate();
                }
            }
            LOG.info("unmerged customer {} from {} (audit {})", s, cur, audit);
            return null;
        });
        return mergeRecord(audit).orElseThrow();
    }

    private static boolean revert(ObjectNode survivor, ObjectNode merged, JsonNode before) {
        boolean changed = false;
        if (!(before instanceof ObjectNode b)) {
            return false;
        }
        for (var it = b.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            JsonNode now = survivor.get(e.getKey());
            if (now != null && now.equals(merged.get(e.getKey()))) {
                if (e.getValue().isNull()) {
                    survivor.remove(e.getKey());
                } else {
                    survivor.set(e.getKey(), e.getValue());
                }
                changed = true;
            }
        }
        return changed;
    }

    /** Adds a tag to a profile (follows aliases); false when it had it already. */
    public boolean addTag(String customerId, String tag) {
        String t = requireText(tag, "tag");
        return withCustomerLocked(customerId, (c, id) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crm_tag (customer_id, tag, added_at) values (?, ?, ?) on conflict do nothing")) {
                ps.setObject(1, id);
                ps.setString(2, t);
                ps.setObject(3, Ids.utc(clock.instant()));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Removes a tag from a profile (follows aliases); false when it did not have it. */
    public boolean removeTag(String customerId, String tag) {
        return withCustomerLocked(customerId, (c, id) -> {
            try (PreparedStatement ps = c.prepareStatement("delete from crm_tag where customer_id = ? and tag = ?")) {
                ps.setObject(1, id);
                ps.setString(2, tag);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Adds {@code delta} to a score of a profile (follows aliases) and returns the new value. */
    public long addScore(String customerId, String name, long delta) {
        String n = requireText(name, "score name");
        return withCustomerLocked(customerId, (c, id) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crm_score (customer_id, name, value) values (?, ?, ?) "
                            + "on conflict (customer_id, name) do update set value = crm_score.value + excluded.value returning value")) {
                ps.setObject(1, id);
                ps.setString(2, n);
                ps.setLong(3, delta);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank() || s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return s.strip();
    }

    private <T> T withCustomerLocked(String customerId, SqlBiFunction<T> work) {
        UUID id = Ids.parse(customerId).orElseThrow(() -> new java.util.NoSuchElementException("no customer " + customerId));
        return retrying(c -> {
            for (int i = 0; i < 20; i++) {
                UUID cur = resolve(c, id).orElseThrow(() -> new java.util.NoSuchElementException("no customer " + customerId));
                try (PreparedStatement ps = c.prepareStatement("select status from crm_customer where id = ? for update")) {
                    ps.setObject(1, cur);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && "active".equals(rs.getString(1))) {
                            return work.apply(c, cur);
                        }
                    }
                }
            }
            throw new SQLException("customer kept being merged", "40001");
        });
    }

    @FunctionalInterface
    private interface SqlBiFunction<T> {
        T apply(Connection c, UUID id) throws SQLException;
    }

    // ------------------------------------------------------------------------------------------
    // reads

    /** The single customer view; a merged id gives the surviving profile. */
    public Optional<CustomerView> customer(String customerId) {
        Optional<UUID> id = Ids.parse(customerId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return read(c -> view(c, id.get()));
    }

    /** The profile an identity belongs to (phones and e-mails are normalized first). */
    public Optional<CustomerView> findByIdentity(String type, String value, String namespace) {
        if (type == null || value == null) {
            return Optional.empty();
        }
        Optional<Identity> n = policy.normalize(new Identity(type, value, namespace));
        if (n.isEmpty()) {
            return Optional.empty();
        }
        IdKey k = IdKey.of(n.get());
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select customer_id from crm_identity where type = ? and namespace = ? and value = ?")) {
                ps.setString(1, k.type());
                ps.setString(2, k.namespace());
                ps.setString(3, k.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return view(c, rs.getObject(1, UUID.class));
                }
            }
        });
    }

    /** A page of a profile's timeline, newest first. */
    public List<TimelineEntry> timeline(String customerId, int offset, int limit) {
        Optional<UUID> id = Ids.parse(customerId);
        if (id.isEmpty()) {
            return List.of();
        }
        return read(c -> {
            Optional<UUID> cur = resolve(c, id.get());
            return cur.isEmpty() ? List.<TimelineEntry>of() : timeline(c, cur.get(), offset, limit);
        });
    }

    /** The merges a profile took part in (as survivor, directly or through merged profiles, or as merged), newest first. */
    public List<MergeRecord> merges(String customerId) {
        Optional<UUID> id = Ids.parse(customerId);
        if (id.isEmpty()) {
            return List.of();
        }
        return read(c -> {
            Optional<UUID> cur = resolve(c, id.get());
            if (cur.isEmpty()) {
                return List.<MergeRecord>of();
            }
            List<UUID> tree = new ArrayList<>(mergedIds(c, cur.get()));
            tree.add(cur.get());
            tree.add(id.get());
            try (PreparedStatement ps = c.prepareStatement(MERGE_RECORD_SQL
                    + " where surviving_id = any(?) or merged_id = any(?) order by merged_at desc, id desc")) {
                ps.setArray(1, Db.uuids(c, tree));
                ps.setArray(2, Db.uuids(c, tree));
                return mergeRecords(ps);
            }
        });
    }

    private static final String MERGE_RECORD_SQL =
            "select id, surviving_id, merged_id, evidence_event_id, reason, merged_at, undone_at from crm_merge_audit";

    private Optional<MergeRecord> mergeRecord(UUID audit) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(MERGE_RECORD_SQL + " where id = ?")) {
                ps.setObject(1, audit);
                return mergeRecords(ps).stream().findFirst();
            }
        });
    }

    private static List<MergeRecord> mergeRecords(PreparedStatement ps) throws SQLException {
        List<MergeRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                OffsetDateTime undone = rs.getObject(7, OffsetDateTime.class);
                out.add(new MergeRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant(), undone == null ? null : undone.toInstant()));
            }
        }
        return out;
    }

    private Optional<CustomerView> view(Connection c, UUID requested) throws SQLException {
        Optional<UUID> found = resolve(c, requested);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UUID id = found.get();
        Instant createdAt;
        ObjectNode attrs;
        ObjectNode consent;
        try (PreparedStatement ps = c.prepareStatement("select created_at, attributes::text, consent::text from crm_customer where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                createdAt = rs.getObject(1, OffsetDateTime.class).toInstant();
                attrs = Json.object(rs.getString(2));
                consent = Json.object(rs.getString(3));
            }
        }
        List<IdentityView> identities = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select type, namespace, value, first_seen_at, last_seen_at, source from crm_identity where customer_id = ? "
                        + "order by type, namespace, value")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    identities.add(new IdentityView(rs.getString(1), rs.getString(3), emptyToNull(rs.getString(2)),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6)));
                }
            }
        }
        List<UnlinkedIdentityView> unlinked = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select u.type, u.namespace, u.value, u.reason, u.first_seen_at, u.last_seen_at, u.source from crm_identity_unlinked u "
                        + "where u.customer_id = ? and not exists (select 1 from crm_identity i where i.customer_id = u.customer_id "
                        + "and i.type = u.type and i.namespace = u.namespace and i.value = u.value) "
                        + "order by u.type, u.namespace, u.value")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unlinked.add(new UnlinkedIdentityView(rs.getString(1), rs.getString(3), emptyToNull(rs.getString(2)), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7)));
                }
            }
        }
        Map<String, Object> attributes = new TreeMap<>();
        attrs.properties().forEach(e -> attributes.put(e.getKey(), Json.toJava(e.getValue().get("v"))));
        ConsentView consentView = new ConsentView(bool(consent, "crossChannelLinking"), at(consent, "crossChannelLinking"),
                bool(consent, "marketing"), at(consent, "marketing"));

        List<String> tags = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select tag from crm_tag where customer_id = ? order by tag")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.add(rs.getString(1));
                }
            }
        }
        Map<String, Long> scores = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select name, value from crm_score where customer_id = ? order by name")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scores.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<String> merged = mergedIds(c, id).stream().map(UUID::toString).toList();
        return Optional.of(new CustomerView(id.toString(), createdAt, List.copyOf(identities), java.util.Collections.unmodifiableMap(attributes),
                consentView, orders(c, id), timeline(c, id, 0, VIEW_TIMELINE_LIMIT), List.copyOf(tags),
                java.util.Collections.unmodifiableMap(scores), merged, List.copyOf(unlinked)));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Boolean bool(ObjectNode consent, String name) {
        JsonNode v = consent.path(name).path("v");
        return v.isBoolean() ? v.booleanValue() : null;
    }

    private static Instant at(ObjectNode consent, String name) {
        JsonNode v = consent.path(name).path("at");
        return v.isString() ? Instant.parse(v.stringValue()) : null;
    }

    private static OrderSummary orders(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select count(*), min(ordered_at), max(ordered_at),
                       coalesce(array_agg(distinct channel) filter (where channel is not null), '{}'),
                       coalesce((select jsonb_object_agg(currency, total) from (
                           select currency, sum(total_minor) as total from crm_order
                            where customer_id = ? and state not in ('cancelled', 'refunded')
                            group by currency) t), '{}'::jsonb)::text
                  from crm_order where customer_id = ?
                """)) {
            ps.setObject(1, id);
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long count = rs.getLong(1);
                if (count == 0) {
                    return OrderSummary.EMPTY;
                }
                Map<String, Long> totals = new TreeMap<>();
                Json.object(rs.getString(5)).properties().forEach(e -> totals.put(e.getKey(), e.getValue().asLong()));
                List<String> channels = new ArrayList<>(List.of((String[]) rs.getArray(4).getArray()));
                channels.sort(null);
                return new OrderSummary(count, java.util.Collections.unmodifiableMap(totals),
                        rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getObject(3, OffsetDateTime.class).toInstant(),
                        List.copyOf(channels));
            }
        }
    }

    private static List<TimelineEntry> timeline(Connection c, UUID id, int offset, int limit) throws SQLException {
        List<TimelineEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select event_id, type, time, source, summary::text from crm_timeline where customer_id = ? "
                        + "order by time desc, id desc offset ? limit ?")) {
            ps.setObject(1, id);
            ps.setInt(2, Math.max(0, offset));
            ps.setInt(3, Math.max(0, Math.min(limit, 1000)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TimelineEntry(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                            rs.getString(4), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Json.toMap(Json.object(rs.getString(5)))))));
                }
            }
        }
        return out;
    }

    /** Follows merge aliases to the surviving profile; empty when the id is unknown. */
    static Optional<UUID> resolve(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                with recursive chain(id, depth) as (
                    select ?::uuid, 0
                    union all
                    select a.surviving_id, chain.depth + 1 from crm_customer_alias a join chain on a.merged_id = chain.id
                     where chain.depth < 100
                )
                select c.id from chain join crm_customer c on c.id = chain.id order by chain.depth desc limit 1
                """)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private UUID resolveOrThrow(UUID id) {
        return read(c -> resolve(c, id)).orElseThrow(() -> new java.util.NoSuchElementException("no customer " + id));
    }

    private static List<UUID> mergedIds(Connection c, UUID id) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                with recursive tree(id, depth) as (
                    select ?::uuid, 0
                    union all
                    select a.merged_id, tree.depth + 1 from crm_customer_alias a join tree on a.surviving_id = tree.id
                     where tree.depth < 100
                )
                select id from tree where depth > 0 order by depth, id
                """)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // transactions

    private <T> T inTransaction(Transactions.Work<T> work) throws SQLException {
        return Transactions.once(ds, work);
    }

    private <T> T retrying(Transactions.Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(work);
            } catch (SQLException e) {
                if (Db.retryable(e) && attempt < MAX_ATTEMPTS) {
                    backoff(attempt);
                } else {
                    throw new CrmException(e.getMessage(), e);
                }
            }
        }
    }

    private <T> T read(Transactions.Work<T> work) {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            int iso = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setTransactionIsolation(iso);
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new CrmException(e.getMessage(), e);
        }
    }

    private static void backoff(int attempt) {
        long max = Math.min(500, 5L << Math.min(attempt, 7));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, max + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrmException("interrupted while retrying", e);
        }
    }
}
