package io.omnihub.hub.plugins;

import io.omnihub.hub.cluster.ClusterChanges;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Plugins as the whole cluster sees them, in PostgreSQL: JARs uploaded over the API
 * ({@code hub_plugin_jar}, by plugin id with their SHA-256) and what operators made of each plugin
 * ({@code hub_plugin_state}). Every change is announced to the other nodes ({@link ClusterChanges#PLUGINS}).
 */
public class JdbcPluginStore {

    /** What operators asked a plugin to be, on every node. */
    public enum Desired { STARTED, STOPPED, DISABLED }

    /**
     * An uploaded JAR, without its bytes.
     *
     * @param pluginId its plugin id
     * @param sha256   the JAR's SHA-256, hex
     * @param fileName the file it is kept as in each node's plugins folder
     */
    public record StoredJar(String pluginId, String sha256, String fileName) {
    }

    /**
     * @param desired    started, stopped or disabled
     * @param generation how many reloads were asked for: a node that applied fewer reloads the plugin
     */
    public record StoredState(Desired desired, long generation) {
    }

    private final JdbcTemplate jdbc;
    private final ClusterChanges changes;

    public JdbcPluginStore(DataSource dataSource, ClusterChanges changes) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.changes = changes;
    }

    public List<StoredJar> jars() {
        return jdbc.query("SELECT plugin_id, sha256, file_name FROM hub_plugin_jar ORDER BY plugin_id",
                (row, n) -> new StoredJar(row.getString(1), row.getString(2), row.getString(3)));
    }

    /** The bytes of a plugin's uploaded JAR. */
    public Optional<byte[]> content(String pluginId) {
        return jdbc.query("SELECT content FROM hub_plugin_jar WHERE plugin_id = ?",
                (row, n) -> row.getBytes(1), pluginId).stream().findFirst();
    }

    /** Keeps an uploaded JAR for every node, replacing the plugin's previous one. */
    public void saveJar(String pluginId, String sha256, String fileName, String version, byte[] jar, String actor, Instant at) {
        jdbc.update("""
                INSERT INTO hub_plugin_jar (plugin_id, sha256, file_name, version, content, uploaded_at, uploaded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (plugin_id) DO UPDATE SET sha256 = EXCLUDED.sha256, file_name = EXCLUDED.file_name,
                    version = EXCLUDED.version, content = EXCLUDED.content, uploaded_at = EXCLUDED.uploaded_at,
                    uploaded_by = EXCLUDED.uploaded_by
                """, pluginId, sha256, fileName, version, jar, Timestamp.from(at), actor);
        changes.announce(ClusterChanges.PLUGINS);
    }

    public Map<String, StoredState> states() {
        Map<String, StoredState> states = new LinkedHashMap<>();
        jdbc.query("SELECT plugin_id, desired, generation FROM hub_plugin_state", row -> {
            states.put(row.getString(1), new StoredState(Desired.valueOf(row.getString(2)), row.getLong(3)));
        });
        return states;
    }

    /** Records what an operator made of a plugin; {@code reloaded} also counts a reload. */
    public long saveState(String pluginId, Desired desired, boolean reloaded, String actor, Instant at) {
        Long generation = jdbc.queryForObject("""
                INSERT INTO hub_plugin_state (plugin_id, desired, generation, changed_at, changed_by)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (plugin_id) DO UPDATE SET desired = EXCLUDED.desired,
                    generation = hub_plugin_state.generation + EXCLUDED.generation,
                    changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by
                RETURNING generation
                """, Long.class, pluginId, desired.name(), reloaded ? 1 : 0, Timestamp.from(at), actor);
        changes.announce(ClusterChanges.PLUGINS);
        return generation == null ? 0 : generation;
    }
}
