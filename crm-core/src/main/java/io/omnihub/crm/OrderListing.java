package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A profile's orders with their lines, newest first, in two statements per page. */
final class OrderListing {

    private OrderListing() {
    }

    static List<OrderView> orders(Connection c, UUID customer, int offset, int limit) throws SQLException {
        Map<List<String>, Object[]> found = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select source, order_id, channel, state, status, currency, total_minor, ordered_at, last_event_at
                  from crm_order where customer_id = ? order by ordered_at desc, source, order_id offset ? limit ?
                """)) {
            ps.setObject(1, customer);
            ps.setInt(2, Math.max(0, offset));
            ps.setInt(3, Math.max(0, Math.min(limit, 1000)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(List.of(rs.getString(1), rs.getString(2)), new Object[] {rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getLong(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
                            rs.getObject(9, OffsetDateTime.class).toInstant()});
                }
            }
        }
        if (found.isEmpty()) {
            return List.of();
        }
        Map<List<String>, List<OrderView.Line>> lines = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select l.source, l.order_id, l.sku, l.name, l.category, l.quantity, l.unit_price_minor
                  from crm_order_line l join unnest(?::text[], ?::text[]) k(source, order_id) on l.source = k.source and l.order_id = k.order_id
                 order by l.source, l.order_id, l.line_no
                """)) {
            ps.setArray(1, SqlValues.texts(c, found.keySet().stream().map(k -> k.get(0)).toList()));
            ps.setArray(2, SqlValues.texts(c, found.keySet().stream().map(k -> k.get(1)).toList()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.computeIfAbsent(List.of(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                            .add(new OrderView.Line(rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        List<OrderView> out = new ArrayList<>();
        found.forEach((key, r) -> out.add(new OrderView(key.get(0), key.get(1), (String) r[0], (String) r[1], (String) r[2], (String) r[3],
                (Long) r[4], (java.time.Instant) r[5], (java.time.Instant) r[6], List.copyOf(lines.getOrDefault(key, List.of())))));
        return out;
    }
}
