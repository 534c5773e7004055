package io.omnihub.crm.automation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What conditions know about a customer ({@code customer} in CEL), read in a few statements for every
 * customer of a batch and kept current in memory as rules change tags, scores and segments.
 */
final class CustomerFacts {

    final UUID id;
    Instant createdAt;
    final Map<String, Object> attributes = new TreeMap<>();
    final Map<String, Object> consent = new TreeMap<>();
    final TreeSet<String> tags = new TreeSet<>();
    final Map<String, Long> scores = new TreeMap<>();
    final TreeSet<String> segments = new TreeSet<>();
    long orderCount;
    final Map<String, Long> totalMinor = new TreeMap<>();
    Instant firstOrderAt;
    Instant lastOrderAt;
    final TreeSet<String> orderChannels = new TreeSet<>();
    /** Categories of the lines of the customer's orders not cancelled or refunded. */
    final TreeSet<String> orderCategories = new TreeSet<>();
    /** Windowed traits in force, by id (see {@link TraitCounters#fill}). */
    final Map<String, Long> traits = new TreeMap<>();

    CustomerFacts(UUID id) {
        this.id = id;
    }

    private Map<String, Object> cel;

    /** Says the facts changed (a tag, score or segment): the next {@link #toCel()} is built afresh. */
    void changed() {
        cel = null;
    }

    /** The CEL value of {@code customer}; built once and reused until the facts change. */
    Map<String, Object> toCel() {
        if (cel == null) {
            cel = java.util.Collections.unmodifiableMap(buildCel());
        }
        return cel;
    }

    private Map<String, Object> buildCel() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.toString());
        if (createdAt != null) {
            out.put("createdAt", createdAt);
        }
        out.put("attributes", CelValues.of(attributes));
        out.put("consent", new LinkedHashMap<>(consent));
        out.put("tags", List.copyOf(tags));
        out.put("scores", new LinkedHashMap<>(scores));
        out.put("segments", List.copyOf(segments));
        Map<String, Object> orders = new LinkedHashMap<>();
        orders.put("count", orderCount);
        orders.put("totalMinor", new LinkedHashMap<>(totalMinor));
        if (firstOrderAt != null) {
            orders.put("firstOrderAt", firstOrderAt);
        }
        if (lastOrderAt != null) {
            orders.put("lastOrderAt", lastOrderAt);
        }
        orders.put("channels", List.copyOf(orderChannels));
        orders.put("categories", List.copyOf(orderCategories));
        out.put("orders", orders);
        out.put("traits", new LinkedHashMap<>(traits));
        return out;
    }

    /** Reads the facts of {@code ids} (surviving profiles) in seven statements. */
    static Map<UUID, CustomerFacts> load(Connection c, Collection<UUID> ids) throws SQLException {
        Map<UUID, CustomerFacts> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        java.sql.Array array = c.createArrayOf("uuid", ids.toArray());
        try (PreparedStatement ps = c.prepareStatement(
                "select id, created_at, attributes::text, consent::text from crm_customer where id = any(?)")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CustomerFacts f = new CustomerFacts(rs.getObject(1, UUID.class));
                    f.createdAt = rs.getObject(2, OffsetDateTime.class).toInstant();
                    statements(CelValues.readMap(rs.getString(3)), f.attributes);
                    statements(CelValues.readMap(rs.getString(4)), f.consent);
                    out.put(f.id, f);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select customer_id, tag from crm_tag where customer_id = any(?)")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CustomerFacts f = out.get(rs.getObject(1, UUID.class));
                    if (f != null) {
                        f.tags.add(rs.getString(2));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select customer_id, name, value from crm_score where customer_id = any(?)")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CustomerFacts f = out.get(rs.getObject(1, UUID.class));
                    if (f != null) {
                        f.scores.put(rs.getString(2), rs.getLong(3));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select customer_id, count(*), min(ordered_at), max(ordered_at),
                       coalesce(array_agg(distinct channel) filter (where channel is not null), '{}')
                  from crm_order where customer_id = any(?) group by customer_id
                """)) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CustomerFacts f = out.get(rs.getObject(1, UUID.class));
                    if (f != null) {
                        f.orderCount = rs.getLong(2);
                        f.firstOrderAt = rs.getObject(3, OffsetDateTime.class).toInstant();
                        f.lastOrderAt = rs.getObject(4, OffsetDateTime.class).toInstant();
                        f.orderChannels.addAll(List.of((String[]) rs.getArray(5).getArray()));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select customer_id, currency, sum(total_minor) from crm_order
                 where customer_id = any(?) and state not in ('cancelled', 'refunded') group by customer_id, currency
                """)) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CustomerFacts f = out.get(rs.getObject(1, UUID.class));
                    if (f != null) {
                        f.totalMinor.put(rs.getString(2), rs.getLong(3));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct o.customer_id, l.category from crm_order o join crm_order_line l on l.source = o.source and l.order_id = o.order_id
                 where o.customer_id = any(?) and o.state not in ('cancelled', 'refunded') and l.category is not null
                """)) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CustomerFacts f = out.get(rs.getObject(1, UUID.class));
                    if (f != null) {
                        f.orderCategories.add(rs.getString(2));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select customer_id, segment_id from crm_segment_member where customer_id = any(?)")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CustomerFacts f = out.get(rs.getObject(1, UUID.class));
                    if (f != null) {
                        f.segments.add(rs.getString(2));
                    }
                }
            }
        }
        return out;
    }

    /** {@code {"name": {"v": value, "at": ..., "ev": ...}}} to {@code {"name": value}}. */
    @SuppressWarnings("unchecked")
    static void statements(Map<String, Object> stored, Map<String, Object> into) {
        stored.forEach((name, entry) -> {
            if (entry instanceof Map<?, ?> m && m.get("v") != null) {
                into.put(name, CelValues.of(((Map<String, Object>) m).get("v")));
            }
        });
    }
}
