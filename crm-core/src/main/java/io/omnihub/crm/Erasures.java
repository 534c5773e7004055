package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The erasure records: written by {@link CustomerEraser}, completed with what the caller scrubbed outside the database, listed. */
final class Erasures {

    private final Transactions tx;

    Erasures(Transactions tx) {
        this.tx = tx;
    }

    static void setCounts(Connection c, UUID erasureId, Map<String, Long> counts) throws SQLException {
        ObjectNode json = Json.MAPPER.createObjectNode();
        counts.forEach(json::put);
        try (PreparedStatement ps = c.prepareStatement("update crm_erasure set counts = counts || ?::jsonb where id = ?")) {
            ps.setString(1, Json.write(json));
            ps.setObject(2, erasureId);
            if (ps.executeUpdate() == 0) {
                throw new NoSuchElementException("no erasure " + erasureId);
            }
        }
    }

    /** Adds counts (messages removed from the broker's queues, ...) to an erasure record. */
    void addCounts(String erasureId, Map<String, Long> counts) {
        UUID id = Uuids.parse(erasureId).orElseThrow(() -> new NoSuchElementException("no erasure " + erasureId));
        tx.retrying(c -> {
            setCounts(c, id, counts);
            return null;
        });
    }

    /** Erasure records, newest first. */
    List<ErasureRecord> list(int limit) {
        return tx.read(c -> {
            List<ErasureRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, customer_id, profiles, erased_by, reason, erased_at, counts::text "
                    + "from crm_erasure order by erased_at desc, id desc limit ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> profiles = new ArrayList<>();
                        for (Object o : (Object[]) rs.getArray(3).getArray()) {
                            profiles.add(o.toString());
                        }
                        Map<String, Long> counts = new TreeMap<>();
                        for (Map.Entry<String, JsonNode> e : Json.object(rs.getString(7)).properties()) {
                            counts.put(e.getKey(), e.getValue().asLong());
                        }
                        out.add(new ErasureRecord(rs.getString(1), rs.getString(2), profiles, rs.getString(4), rs.getString(5),
                                SqlValues.instant(rs, 6), counts));
                    }
                }
            }
            return out;
        });
    }
}
