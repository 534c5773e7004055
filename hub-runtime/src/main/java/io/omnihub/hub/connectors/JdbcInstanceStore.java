package io.omnihub.hub.connectors;

import io.omnihub.hub.sealing.SealedValueException;
import io.omnihub.hub.sealing.Sealer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import io.omnihub.hub.cluster.ClusterChanges;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * What operators changed about connector instances, in PostgreSQL so that it outlives a restart
 * and is shared by every hub node: configurations created or changed over the API
 * ({@code hub_connector_instance}) and the state each instance was put in ({@code hub_instance_state}).
 * Every change is announced to the other nodes ({@link ClusterChanges#INSTANCES}).
 *
 * <p>Secret values are sealed ({@link Sealer}, AES-GCM) before they are written, each bound to its
 * instance and key, and opened when read; everything else in a configuration stays readable in the
 * database. Callers see plain configurations.
 */
public class JdbcInstanceStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcInstanceStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> CONFIG = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final Sealer sealer;
    private final ClusterChanges changes;

    public JdbcInstanceStore(DataSource dataSource, Sealer sealer, ClusterChanges changes) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.sealer = sealer;
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

    /**
     * Every configuration created or changed over the API, secrets opened. A secret that does not
     * open (sealed with a key this hub lacks) is left out and logged: the instance then fails its
     * schema check naming the key, instead of the hub failing to start.
     */
    public Map<Key, Map<String, String>> configs() {
        Map<Key, Map<String, String>> configs = new LinkedHashMap<>();
        jdbc.query("SELECT connector, instance, config::text FROM hub_connector_instance ORDER BY connector, instance",
                row -> {
                    Key key = new Key(row.getString(1), row.getString(2));
                    configs.put(key, open(key, parse(row.getString(3))));
                });
        return configs;
    }

    /** Stores a configuration, the values of {@code secretKeys} sealed. */
    public void saveConfig(String connector, String instance, Map<String, String> config, Set<String> secretKeys, String actor, Instant at) {
        jdbc.update("""
                INSERT INTO hub_connector_instance (connector, instance, config, changed_at, changed_by)
                VALUES (?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (connector, instance)
                DO UPDATE SET config = EXCLUDED.config, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by
                """, connector, instance, write(seal(new Key(connector, instance), config, secretKeys)), Timestamp.from(at), actor);
        changes.announce(ClusterChanges.INSTANCES);
    }

    /**
     * Seals what is stored in plain text for {@code secretKeys} (configurations written before
     * secrets were sealed): called when an instance opens and its schema says which keys are secret.
     *
     * @return whether anything had to be sealed
     */
    public boolean sealSecrets(String connector, String instance, Set<String> secretKeys) {
        Key key = new Key(connector, instance);
        List<String> stored = jdbc.queryForList("SELECT config::text FROM hub_connector_instance WHERE connector = ? AND instance = ?",
                String.class, connector, instance);
        if (stored.isEmpty()) {
            return false;
        }
        Map<String, String> raw = parse(stored.get(0));
        boolean plain = secretKeys.stream().anyMatch(secret -> raw.containsKey(secret) && !Sealer.isSealed(raw.get(secret)));
        if (!plain) {
            return false;
        }
        Map<String, String> sealed = new TreeMap<>(raw);
        secretKeys.forEach(secret -> sealed.computeIfPresent(secret,
                (k, value) -> Sealer.isSealed(value) ? value : sealer.seal(value, context(key, k))));
        return replace(key, stored.get(0), sealed);
    }

    /**
     * Seals again, with the current key, every value sealed with a previous one (after a key
     * rotation), so that the previous key can be retired.
     *
     * @return how many values were sealed again
     */
    public int resealWithCurrentKey() {
        int resealed = 0;
        for (Map<String, Object> row : jdbc.queryForList("SELECT connector, instance, config::text AS config FROM hub_connector_instance")) {
            Key key = new Key((String) row.get("connector"), (String) row.get("instance"));
            String stored = (String) row.get("config");
            Map<String, String> config = new TreeMap<>(parse(stored));
            int changed = 0;
            for (Map.Entry<String, String> entry : config.entrySet()) {
                if (sealer.sealedWithAnotherKey(entry.getValue())) {
                    try {
                        entry.setValue(sealer.seal(sealer.open(entry.getValue(), context(key, entry.getKey())), context(key, entry.getKey())));
                        changed++;
                    } catch (SealedValueException e) {
                        log.error("Connector instance {}/{}: '{}' cannot be opened: {}", key.connector(), key.instance(), entry.getKey(), e.getMessage());
                    }
                }
            }
            if (changed > 0 && replace(key, stored, config)) {
                resealed += changed;
            }
        }
        return resealed;
    }

    /** Writes {@code config} only if the row still holds {@code expected}: a change made meanwhile wins. */
    private boolean replace(Key key, String expected, Map<String, String> config) {
        return jdbc.update("UPDATE hub_connector_instance SET config = ?::jsonb WHERE connector = ? AND instance = ? AND config = ?::jsonb",
                write(config), key.connector(), key.instance(), expected) == 1;
    }

    private Map<String, String> seal(Key key, Map<String, String> config, Set<String> secretKeys) {
        Map<String, String> sealed = new TreeMap<>(config);
        sealed.replaceAll((k, value) -> secretKeys.contains(k) && !Sealer.isSealed(value) ? sealer.seal(value, context(key, k)) : value);
        return sealed;
    }

    private Map<String, String> open(Key key, Map<String, String> stored) {
        Map<String, String> opened = new TreeMap<>();
        stored.forEach((k, value) -> {
            if (!Sealer.isSealed(value)) {
                opened.put(k, value);
                return;
            }
            try {
                opened.put(k, sealer.open(value, context(key, k)));
            } catch (SealedValueException e) {
                log.error("Connector instance {}/{}: '{}' cannot be opened, so it is left out: {}",
                        key.connector(), key.instance(), k, e.getMessage());
            }
        });
        return opened;
    }

    private static String context(Key key, String configKey) {
        return "hub_connector_instance/" + key.connector() + "/" + key.instance() + "/" + configKey;
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
