package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads a profile's consent: the current statements with their source events, and the history of every statement. */
final class ConsentReads {

    private ConsentReads() {
    }

    /** The current consent of profile {@code id}, whose stored statements are {@code consent}. */
    static ConsentView current(Connection c, UUID id, ObjectNode consent) throws SQLException {
        record Origin(String eventType, String source, Instant recordedAt) {
        }
        Map<String, Origin> origin = new HashMap<>();
        List<String> events = new ArrayList<>();
        consent.properties().forEach(e -> events.add(e.getValue().path("ev").asString("")));
        if (!events.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("select key, event_id, event_type, source, recorded_at from crm_consent_statement "
                    + "where customer_id = ? and event_id = any(?)")) {
                ps.setObject(1, id);
                ps.setArray(2, SqlValues.texts(c, events));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        origin.put(rs.getString(1) + '\u0000' + rs.getString(2), new Origin(rs.getString(3), rs.getString(4), SqlValues.instant(rs, 5)));
                    }
                }
            }
        }
        Map<String, ConsentStatement> byKey = new TreeMap<>();
        consent.properties().forEach(e -> {
            JsonNode s = e.getValue();
            JsonNode v = s.path("v");
            String ev = s.path("ev").asString(null);
            Origin o = origin.getOrDefault(e.getKey() + '\u0000' + ev, new Origin(null, null, null));
            byKey.put(e.getKey(), ConsentStatement.of(e.getKey(), v.isBoolean() ? v.booleanValue() : null, at(s), ev, o.eventType(), o.source(),
                    o.recordedAt()));
        });
        ConsentStatement linking = byKey.get(ConsentKeys.CROSS_CHANNEL_LINKING);
        ConsentStatement marketing = byKey.get(ConsentKeys.MARKETING);
        ConsentStatement analytics = byKey.get(ConsentKeys.ANALYTICS);
        return new ConsentView(value(linking), at(linking), value(marketing), at(marketing), value(analytics), at(analytics),
                List.copyOf(byKey.values()));
    }

    /** A page of profile {@code id}'s consent history, newest first (by the time each was made, then as recorded). */
    static List<ConsentStatement> history(Connection c, UUID id, int offset, int limit) throws SQLException {
        List<ConsentStatement> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select key, value::text, at, event_id, event_type, source, recorded_at from crm_consent_statement where customer_id = ? "
                        + "order by at desc, id desc offset ? limit ?")) {
            ps.setObject(1, id);
            ps.setInt(2, Math.max(0, offset));
            ps.setInt(3, Math.max(0, Math.min(limit, 1000)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode v = Json.MAPPER.readTree(rs.getString(2));
                    out.add(ConsentStatement.of(rs.getString(1), v.isBoolean() ? v.booleanValue() : null, SqlValues.instant(rs, 3),
                            rs.getString(4), rs.getString(5), rs.getString(6), SqlValues.instant(rs, 7)));
                }
            }
        }
        return out;
    }

    private static Instant at(JsonNode statement) {
        JsonNode v = statement.path("at");
        return v.isString() ? Instant.parse(v.stringValue()) : null;
    }

    private static Boolean value(ConsentStatement s) {
        return s == null ? null : s.value();
    }

    private static Instant at(ConsentStatement s) {
        return s == null ? null : s.at();
    }
}
