package io.omnihub.hub.connectors;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * What operators changed about connector instances, in PostgreSQL so that it outlives a restart
 * and is shared by every hub node: configurations created or changed over the API
 * ({@code hub_connector_instance}) and the state each instance was put in ({@code hub_instance_state}).
 */
public class JdbcInstanceStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> CONFIG = new TypeReference<>() { };

    private final JdbcTemplate jdbc;

    public JdbcInstanceStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** A stored key: connector and instance id. */
    public record Key(String connector, String instance) {
    }

    /** Every configuration created or changed over the API. */
    public Map<Key, Map<String, String>> configs() {
        Map<Key, Map<String, String>> configs = new LinkedHashMap<>();
        jdbc.query("SELECT connector, instance, config::text FROM hub_connector_instance ORDER BY connector, instance",
                row -> {
                    configs.put(new Key(row.getString(1), row.getString(2)), parse(row.getString(3)));
                });
        return configs;
    }

    public void saveConfig(String connector, String instance, Map<String, String> config, String actor, Instant at) {
        jdbc.update("""
                INSERT INTO hub_connector_instance (connector, instance, config, changed_at, changed_by)
                VALUES (?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (connector, instance)
                DO UPDATE SET config = EXCLUDED.config, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by
                """, connector, instance, write(config), Timestamp.from(at), actor);
    }

    public void deleteConfig(String connector, String instance) {
        jdbc.update("DELETE FROM hub_connector_instance WHERE connector = ? AND instance = ?", connector, instance);
    }

    /** The state operators put each instance in, where they did. */
    public Map<Key, InstanceState> desiredStates() {
        Map<Key, InstanceState> states = new LinkedHashMap<>();
        jdbc.query("SELECT connector, instance, desired FROM hub_instance_state",
                row -> {
                    states.put(new Key(row.getString(1), row.getString(2)), InstanceState.valueOf(row.getString(3)));
                });
        return states;
    }

    public void saveDesiredState(String connector, String instance, InstanceState desired, String actor, Instant at) {
        jdbc.update("""
                INSERT INTO hub_instance_state (connector, instance, desired, changed_at, changed_by)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (connector, instance)
                DO UPDATE SET desired = EXCLUDED.desired, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by
                """, connector, instance, desired.name(), Timestamp.from(at), actor);
    }

    public void deleteDesiredState(String connector, String instance) {
        jdbc.update("DELETE FROM hub_instance_state WHERE connector = ? AND instance = ?", connector, instance);
    }

    private static Map<String, String> parse(String json) {
        try {
            return new TreeMap<>(JSON.readValue(json, CONFIG));
        } catch (JacksonException e) {
            throw new IllegalStateException("hub_connector_instance holds a configuration that is not a JSON object of strings", e);
        }
    }

    private static String write(Map<String, String> config) {
        return JSON.writeValueAsString(new TreeMap<>(config));
    }
}
