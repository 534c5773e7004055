package io.omnihub.crm;

import io.omnihub.connector.event.Identity;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The read model: the single customer view (360) of a profile, looked up by id or identity, its
 * timeline and its merges. Each read is one REPEATABLE READ transaction, so it sees one state.
 */
final class CustomerReader {

    private final Transactions tx;
    private final IdentityPolicy policy;

    CustomerReader(Transactions tx, IdentityPolicy policy) {
        this.tx = tx;
        this.policy = policy;
    }

    /** The single customer view; a merged id gives the surviving profile. */
    Optional<CustomerView> customer(String customerId) {
        Optional<UUID> id = Uuids.parse(customerId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return tx.read(c -> view(c, id.get()));
    }

    /**
     * The profile an identity belongs to (phones and e-mails are normalized first). Without a
     * namespace, a namespaced identity is found when exactly one namespace has the value.
     *
     * @throws AmbiguousIdentityException when no namespace was given and several have the value
     */
    Optional<CustomerView> findByIdentity(String type, String value, String namespace) {
        if (type == null || value == null) {
            return Optional.empty();
        }
        Optional<Identity> n = policy.normalize(new Identity(type, value, namespace));
        if (n.isEmpty()) {
            return Optional.empty();
        }
        IdKey k = IdKey.of(n.get());
        return tx.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(namespace == null
                    ? "select customer_id, namespace from crm_identity where type = ? and value = ? order by namespace limit 50"
                    : "select customer_id, namespace from crm_identity where type = ? and value = ? and namespace = ?")) {
                ps.setString(1, k.type());
                ps.setString(2, k.value());
                if (namespace != null) {
                    ps.setString(3, k.namespace());
                }
                Map<String, UUID> byNamespace = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byNamespace.put(rs.getString(2), rs.getObject(1, UUID.class));
                    }
                }
                if (byNamespace.containsKey("")) {
                    return view(c, byNamespace.get(""));
                }
                if (byNamespace.size() > 1) {
                    throw new AmbiguousIdentityException(k.type(), List.copyOf(byNamespace.keySet()));
                }
                return byNamespace.isEmpty() ? Optional.<CustomerView>empty() : view(c, byNamespace.values().iterator().next());
            }
        });
    }

    /** A page of a profile's orders with their lines, newest first. */
    List<OrderView> orders(String customerId, int offset, int limit) {
        return page(customerId, (c, id) -> OrderListing.orders(c, id, offset, limit));
    }

    /** A page of a profile's timeline, newest first. */
    List<TimelineEntry> timeline(String customerId, int offset, int limit) {
        return page(customerId, (c, id) -> timeline(c, id, offset, limit));
    }

    /** What {@code reader} reads of the surviving profile of {@code customerId}; empty when there is none. */
    private <T> List<T> page(String customerId, PageReader<T> reader) {
        Optional<UUID> id = Uuids.parse(customerId);
        if (id.isEmpty()) {
            return List.of();
        }
        return tx.read(c -> {
            Optional<UUID> cur = ProfileAliases.resolve(c, id.get());
            return cur.isEmpty() ? List.<T>of() : reader.read(c, cur.get());
        });
    }

    private interface PageReader<T> {
        List<T> read(Connection c, UUID profile) throws SQLException;
    }

    /** A page of a profile's consent history, newest first; empty when there is no such profile. */
    List<ConsentStatement> consentHistory(String customerId, int offset, int limit) {
        Optional<UUID> id = Uuids.parse(customerId);
        if (id.isEmpty()) {
            return List.of();
        }
        return tx.read(c -> {
            Optional<UUID> cur = ProfileAliases.resolve(c, id.get());
            return cur.isEmpty() ? List.<ConsentStatement>of() : ConsentReads.history(c, cur.get(), offset, limit);
        });
    }

    /** The merges a profile took part in (as survivor, directly or through merged profiles, or as merged), newest first. */
    List<MergeRecord> merges(String customerId) {
        Optional<UUID> id = Uuids.parse(customerId);
        if (id.isEmpty()) {
            return List.of();
        }
        return tx.read(c -> {
            Optional<UUID> cur = ProfileAliases.resolve(c, id.get());
            if (cur.isEmpty()) {
                return List.<MergeRecord>of();
            }
            List<UUID> tree = new ArrayList<>(ProfileAliases.mergedInto(c, cur.get()));
            tree.add(cur.get());
            tree.add(id.get());
            try (PreparedStatement ps = c.prepareStatement(MERGE_RECORD_SQL
                    + " where surviving_id = any(?) or merged_id = any(?) order by merged_at desc, id desc")) {
                ps.setArray(1, SqlValues.uuids(c, tree));
                ps.setArray(2, SqlValues.uuids(c, tree));
                return mergeRecords(ps);
            }
        });
    }

    private static final String MERGE_RECORD_SQL =
            "select id, surviving_id, merged_id, evidence_event_id, reason, merged_at, undone_at, kind, joined::text, undone_reason from crm_merge_audit";

    Optional<MergeRecord> mergeRecord(UUID audit) {
        return tx.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(MERGE_RECORD_SQL + " where id = ?")) {
                ps.setObject(1, audit);
                return mergeRecords(ps).stream().findFirst();
            }
        });
    }

    static List<MergeRecord> mergeRecords(PreparedStatement ps) throws SQLException {
        List<MergeRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                OffsetDateTime undone = rs.getObject(7, OffsetDateTime.class);
                List<JoinedIdentifier> joined = new ArrayList<>();
                for (JsonNode n : Json.MAPPER.readTree(rs.getString(9))) {
                    joined.add(new JoinedIdentifier(n.path("type").asString(), emptyToNull(n.path("namespace").asString()),
                            n.path("value").asString(), n.path("evidence").isNull() ? null : n.path("evidence").asString(null),
                            n.path("side").asString()));
                }
                out.add(new MergeRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(8), rs.getString(4), rs.getString(5),
                        List.copyOf(joined), rs.getObject(6, OffsetDateTime.class).toInstant(), undone == null ? null : undone.toInstant(),
                        rs.getString(10)));
            }
        }
        return out;
    }

    Optional<CustomerView> view(Connection c, UUID requested) throws SQLException {
        Optional<UUID> found = ProfileAliases.resolve(c, requested);
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
                "select type, namespace, value, first_seen_at, last_seen_at, source, evidence from crm_identity where customer_id = ? "
                        + "order by type, namespace, value")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    identities.add(new IdentityView(rs.getString(1), rs.getString(3), emptyToNull(rs.getString(2)),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7)));
                }
            }
        }
        List<UnlinkedIdentityView> unlinked = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select u.type, u.namespace, u.value, u.reason, u.first_seen_at, u.last_seen_at, u.source, u.evidence from crm_identity_unlinked u "
                        + "where u.customer_id = ? and not exists (select 1 from crm_identity i where i.customer_id = u.customer_id "
                        + "and i.type = u.type and i.namespace = u.namespace and i.value = u.value) "
                        + "order by u.type, u.namespace, u.value")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unlinked.add(new UnlinkedIdentityView(rs.getString(1), rs.getString(3), emptyToNull(rs.getString(2)), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7), rs.getString(8)));
                }
            }
        }
        Map<String, Object> attributes = new TreeMap<>();
        attrs.properties().forEach(e -> attributes.put(e.getKey(), Json.toJava(e.getValue().get("v"))));
        ConsentView consentView = ConsentReads.current(c, id, consent);

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
        List<String> merged = ProfileAliases.mergedInto(c, id).stream().map(UUID::toString).toList();
        return Optional.of(new CustomerView(id.toString(), createdAt, List.copyOf(identities), java.util.Collections.unmodifiableMap(attributes),
                consentView, orders(c, id), timeline(c, id, 0, CrmCore.VIEW_TIMELINE_LIMIT), List.copyOf(tags),
                java.util.Collections.unmodifiableMap(scores), merged, List.copyOf(unlinked)));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
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

    static List<TimelineEntry> timeline(Connection c, UUID id, int offset, int limit) throws SQLException {
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
}
