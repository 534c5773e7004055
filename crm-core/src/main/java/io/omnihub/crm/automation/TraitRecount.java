package io.omnihub.crm.automation;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Rebuilds customers' trait counters from their timelines, bounded by each trait's window: once for a
 * new or changed trait (its backfill), and for the profiles an unmerge took events from. The caller
 * holds the customers' row locks, so no event of theirs is counted meanwhile.
 */
final class TraitRecount {

    private TraitRecount() {
    }

    /** Takes the recount marks of {@code customers} (set by an unmerge); returns the marked ones. */
    static Set<UUID> takeMarked(Connection c, Collection<UUID> customers) throws SQLException {
        Set<UUID> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("delete from crm_trait_recount where customer_id = any(?) returning customer_id")) {
            ps.setArray(1, SqlValues.uuids(c, new TreeSet<>(customers)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    /** Replaces the counters of {@code traits} for {@code customers} with what their timelines hold inside the windows. */
    static void recount(Connection c, Collection<UUID> customers, Collection<TraitDefinition> traits, Instant now) throws SQLException {
        if (customers.isEmpty() || traits.isEmpty()) {
            return;
        }
        java.sql.Array ids = SqlValues.uuids(c, new TreeSet<>(customers));
        try (PreparedStatement ps = c.prepareStatement("delete from crm_trait_count where customer_id = any(?) and trait = any(?)")) {
            ps.setArray(1, ids);
            ps.setArray(2, SqlValues.texts(c, traits.stream().map(TraitDefinition::id).toList()));
            ps.executeUpdate();
        }
        Set<String> types = new TreeSet<>();
        Instant oldest = now;
        for (TraitDefinition t : traits) {
            types.addAll(t.on());
            oldest = t.since(now).isBefore(oldest) ? t.since(now) : oldest;
        }
        List<Object[]> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select customer_id, event_id, type, time, source, summary::text from crm_timeline "
                + "where customer_id = any(?) and type = any(?) and time >= ? order by customer_id, time, id")) {
            ps.setArray(1, ids);
            ps.setArray(2, SqlValues.texts(c, types));
            ps.setObject(3, SqlValues.utc(oldest));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class), rs.getString(5), CelValues.readMap(rs.getString(6))});
                }
            }
        }
        Map<List<String>, List<Order.OrderLine>> lines = lines(c, entries);
        Map<TraitCounters.Bucket, Long> counted = new HashMap<>();
        for (Object[] e : entries) {
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) e[5];
            String source = (String) e[4];
            List<Order.OrderLine> orderLines = summary.get("order") instanceof Map<?, ?> o
                    ? lines.getOrDefault(List.of(source, String.valueOf(o.get("id"))), List.of()) : List.of();
            CustomerEvent event = TimelineEvents.rebuild((String) e[1], (String) e[2], (OffsetDateTime) e[3], source, summary,
                    List.of(), orderLines, now);
            TraitCounters.add(traits, event, (UUID) e[0], now, counted);
        }
        TraitCounters.write(c, counted, true);
    }

    /** The stored lines of the orders the entries carry, by (source, order id). */
    private static Map<List<String>, List<Order.OrderLine>> lines(Connection c, List<Object[]> entries) throws SQLException {
        List<String> sources = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (Object[] e : entries) {
            if (((Map<?, ?>) e[5]).get("order") instanceof Map<?, ?> o) {
                sources.add((String) e[4]);
                orders.add(String.valueOf(o.get("id")));
            }
        }
        return TimelineEvents.storedLines(c, sources, orders);
    }
}
