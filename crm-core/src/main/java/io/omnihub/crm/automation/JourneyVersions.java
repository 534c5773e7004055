package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every journey version an enrollment runs on. A version is stored when its first enrollment
 * starts; an enrollment whose version is no longer the current definition is run on the stored one,
 * so editing or removing a journey never disturbs customers already in it.
 */
final class JourneyVersions {

    private final Map<String, JourneyDefinition> parsed = new ConcurrentHashMap<>();

    /** The definition of {@code journeyId} at {@code version}. */
    JourneyDefinition get(Connection c, Definitions current, String journeyId, String version) throws SQLException {
        JourneyDefinition now = current.journey(journeyId).orElse(null);
        if (now != null && now.version().equals(version)) {
            return now;
        }
        String key = journeyId + "@" + version;
        JourneyDefinition cached = parsed.get(key);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement ps = c.prepareStatement("select definition from crm_journey_version where journey_id = ? and version = ?")) {
            ps.setString(1, journeyId);
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("journey " + journeyId + " version " + version + " is not stored");
                }
                JourneyDefinition stored = DefinitionParser.journeyFromCanonical(journeyId, rs.getString(1));
                parsed.put(key, stored);
                return stored;
            }
        }
    }

    /** Stores {@code journey}'s current version, once. */
    void store(Connection c, JourneyDefinition journey, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into crm_journey_version (journey_id, version, definition, created_at) values (?, ?, ?, ?) on conflict do nothing")) {
            ps.setString(1, journey.id());
            ps.setString(2, journey.version());
            ps.setString(3, journey.canonical());
            ps.setObject(4, SqlValues.utc(now));
            ps.executeUpdate();
        }
    }
}
