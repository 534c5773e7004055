package io.omnihub.crm.automation;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events rebuilt from a profile's timeline: type, time, source and what the timeline keeps of the
 * data (the order, message, consent and extra; not attributes). Used where an event must be
 * evaluated again after it was applied: dry runs, and recounting windowed traits.
 */
final class TimelineEvents {

    private TimelineEvents() {
    }

    /**
     * The event of a timeline entry.
     *
     * @param id         the id the rebuilt event gets
     * @param summary    the entry's {@code summary}
     * @param identities who it is about (the timeline keeps no identities)
     * @param lines      the order's lines (the timeline keeps only their number); empty when unknown
     */
    @SuppressWarnings("unchecked")
    static CustomerEvent rebuild(String id, String type, OffsetDateTime time, String source, Map<String, Object> summary,
                                 List<Identity> identities, List<Order.OrderLine> lines, Instant receivedAt) {
        CustomerEvent.Builder b = CustomerEvent.builder(id, type).time(time).receivedAt(receivedAt);
        identities.forEach(b::identity);
        String[] parts = source.split("/");
        b.source(parts.length > 2 ? parts[2] : "unknown", parts.length > 3 ? parts[3] : "unknown");
        if (summary.get("order") instanceof Map<?, ?> o) {
            Map<String, Object> order = (Map<String, Object>) o;
            b.order(new Order(String.valueOf(order.get("id")), (String) order.get("status"), String.valueOf(order.get("currency")),
                    ((Number) order.getOrDefault("totalMinor", 0)).longValue(), lines));
        }
        if (summary.get("message") instanceof Map<?, ?> m) {
            b.message(new Message((String) m.get("kind"), (String) m.get("text")));
        }
        if (summary.get("consent") instanceof Map<?, ?> consent) {
            b.consent(new Consent((Boolean) consent.get("crossChannelLinking"), (Boolean) consent.get("marketing")));
        }
        if (summary.get("extra") instanceof Map<?, ?> extra) {
            extra.forEach((k, v) -> b.extra(String.valueOf(k), v));
        }
        CustomerEvent built = b.build();
        return new CustomerEvent(built.id(), source, built.type(), built.time(), built.data());
    }

    /** The stored lines of the orders {@code (sources[i], orderIds[i])}, by {@code [source, order id]}, in line order. */
    static Map<List<String>, List<Order.OrderLine>> storedLines(Connection c, List<String> sources, List<String> orderIds)
            throws SQLException {
        Map<List<String>, List<Order.OrderLine>> out = new HashMap<>();
        if (orderIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select l.source, l.order_id, l.sku, l.name, l.quantity, l.unit_price_minor, l.category
                  from crm_order_line l join (select distinct * from unnest(?::text[], ?::text[])) k(source, order_id)
                    on l.source = k.source and l.order_id = k.order_id
                 order by l.source, l.order_id, l.line_no
                """)) {
            ps.setArray(1, SqlValues.texts(c, sources));
            ps.setArray(2, SqlValues.texts(c, orderIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(List.of(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                            .add(new Order.OrderLine(rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getString(7)));
                }
            }
        }
        return out;
    }
}
