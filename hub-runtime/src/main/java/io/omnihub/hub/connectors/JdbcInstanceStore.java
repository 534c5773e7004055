package io.omnihub.hub.connectors;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import io.omnihub.hub.cluster.ClusterChanges;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * What operators changed about connector instances, in PostgreSQL so that it outlives a restart
 * and is shared by every hub node: configurations created or changed over the API
 * ({@code hub_connector_instance}) and the state each instance was put in ({@code hub_instance_state}).
 * Every change is announced to the other nodes ({@link ClusterChanges#INSTANCES}).
 */
public class JdbcInstanceStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> CONFIG = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ClusterChanges changes;

    public JdbcInstanceStore(DataSource dataSource, ClusterChanges changes) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.changes = changes;
    }

    /**
     * The state an operator put an instance in.
     *
     * @param desired    RUNNING, PAUSED or STOPPED
     * @param generation how many restarts were asked for: a node whose instance has an older one restarts it
     */
    public record StoredState(InstanceState desired, long generation) {
        /** An instance nobody touched. */
        public static final StoredState UNTOUCHED = new StoredState(InstanceState.RUNNING, 0);
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
        changes.announce(ClusterChanges.INSTANCES);
    }

    public void deleteConfig(String connector, String instance) {
        jdbc.update("DELETE FROM hub_connector_instance WHERE connector = ? AND instance = ?", connector, instance);
        changes.announce(ClusterChanges.INSTANCES);
    }

    /** The state operators put each instance in, where they did. */
    public Map<Key, StoredState> desiredStates() {
        Map<Key, StoredState> states = new LinkedHashMap<>();
        jdbc.query("SELECT connector, instance, desired, generation FROM hub_instance_state",
                row -> {
                    states.put(new Key(row.getString(1), row.getString(2)),
                            new StoredState(InstanceState.valueOf(row.getString(3)), row.getLong(4)));
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
        changes.announce(ClusterChanges.INSTANCES);
    }

    /**
     * Records a restart: the instance is to run, and every node restarts it.
     *
     * @return the instance's new restart generation
     */
    public long saveRestart(String connector, String instance, String actor, Instant at) {
        Long generation = jdbc.queryForObject("""
                INSERT INTO hub_instance_state (connector, instance, desired, changed_at, changed_by, generation)
                VALUES (?, ?, 'RUNNING', ?, ?, 1)
                ON CONFLICT (connector, instance)
                DO UPDATE SET desired = 'RUNNING', changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by,
                              generation = hub_instance_state.generation + 1
                RETURNING generation
                """, Long.class, connector, instance, Timestamp.from(at), actor);
        changes.announce(ClusterChanges.INSTANCES);
        return generation == null ? 0 : generation;
    }

    public void deleteDesiredState(String connector, String instance) {
        jdbc.update("DELETE FROM hub_instance_state WHERE connector = ? AND instance = ?", connector, instance);
        changes.announce(ClusterChanges.INSTANCES);
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
