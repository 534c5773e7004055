package io.omnihub.hub.plugins;

import io.omnihub.hub.cluster.ClusterChanges;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * What operators do to plugins, done on every hub node on the database. An uploaded JAR is kept in
 * PostgreSQL by plugin id and SHA-256 ({@link JdbcPluginStore}) and every node writes it into its own
 * plugins folder and loads it; start, stop, disable and reload are stored per plugin id and applied
 * by every node that has the plugin. The folder stays the drop-in path of a single node: a JAR
 * copied into it by hand is that node's alone (copy it to every node, or upload it).
 *
 * <p>At start, before the folder is loaded, the cluster's JARs are written into it and the plugins
 * an operator stopped or disabled are held back, so a node that joins never runs a plugin the
 * cluster stopped, not even briefly.
 */
public class ClusterPlugins implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterPlugins.class);

    private final PluginRuntime runtime;
    private final JdbcPluginStore store;
    private final ClusterChanges changes;
    private final Clock clock;
    /** The reloads this node has carried out, by plugin id (see {@link JdbcPluginStore.StoredState#generation}). */
    private final Map<String, Long> reloadsApplied = new ConcurrentHashMap<>();
    private volatile Map<String, JdbcPluginStore.StoredState> states = Map.of();
    private volatile boolean running;

    public ClusterPlugins(PluginRuntime runtime, JdbcPluginStore store, ClusterChanges changes, Clock clock) {
        this.runtime = runtime;
        this.store = store;
        this.changes = changes;
        this.clock = clock;
    }

    /** Installs an uploaded JAR here and on every other node (see {@link PluginRuntime#install}). */
    public PluginStatus install(byte[] jar, String actor) {
        PluginStatus installed = runtime.install(jar);
        store.saveJar(installed.id(), installed.sha256(), installed.file(), installed.version(), jar, actor, clock.instant());
        remember(installed.id(), JdbcPluginStore.Desired.STARTED, false, actor);
        return installed;
    }

    /**
     * Reloads a plugin here and on every other node, with {@code newJar} when given (see
     * {@link PluginRuntime#reload}).
     */
    public Optional<PluginStatus> reload(String pluginId, byte[] newJar, String actor) {
        Optional<PluginStatus> reloaded = runtime.reload(pluginId, newJar);
        reloaded.ifPresent(status -> {
            if (newJar != null) {
                store.saveJar(status.id(), status.sha256(), status.file(), status.version(), newJar, actor, clock.instant());
            }
            // A new JAR reaches the other nodes by its SHA-256; the same JAR is reloaded by generation.
            remember(pluginId, JdbcPluginStore.Desired.STARTED, newJar == null, actor);
        });
        return reloaded;
    }

    public Optional<PluginStatus> start(String pluginId, String actor) {
        Optional<PluginStatus> started = runtime.start(pluginId);
        started.ifPresent(status -> remember(pluginId, JdbcPluginStore.Desired.STARTED, false, actor));
        return started;
    }

    public Optional<PluginStatus> stop(String pluginId, String actor) {
        Optional<PluginStatus> stopped = runtime.stop(pluginId);
        stopped.ifPresent(status -> remember(pluginId, JdbcPluginStore.Desired.STOPPED, false, actor));
        return stopped;
    }

    public Optional<PluginStatus> disable(String pluginId, String actor) {
        Optional<PluginStatus> disabled = runtime.disable(pluginId);
        disabled.ifPresent(status -> remember(pluginId, JdbcPluginStore.Desired.DISABLED, false, actor));
        return disabled;
    }

    private void remember(String pluginId, JdbcPluginStore.Desired desired, boolean reloaded, String actor) {
        long generation = store.saveState(pluginId, desired, reloaded, actor, clock.instant());
        reloadsApplied.put(pluginId, generation);
    }

    /**
     * Applies what operators did to plugins on any node: JARs uploaded elsewhere are written and
     * loaded, reloads carried out, and each plugin started, stopped or disabled as stored.
     */
    public synchronized void reconcile() {
        states = store.states();
        for (JdbcPluginStore.StoredJar jar : store.jars()) {
            Optional<PluginStatus> here = runtime.plugin(jar.pluginId());
            if (here.isPresent() && jar.sha256().equals(here.get().sha256())) {
                continue;
            }
            store.content(jar.pluginId()).ifPresent(bytes -> {
                try {
                    runtime.materialize(jar.pluginId(), bytes);
                    log.info("Plugin '{}' (sha256 {}) installed from the cluster", jar.pluginId(), jar.sha256());
                } catch (PluginRefusedException e) {
                    log.warn("Plugin '{}' uploaded on another node is refused here: {}", jar.pluginId(), e.getMessage());
                }
            });
        }
        states.forEach((pluginId, wanted) -> {
            Optional<PluginStatus> here = runtime.plugin(pluginId);
            if (here.isEmpty()) {
                return;
            }
            if (wanted.generation() > reloadsApplied.getOrDefault(pluginId, 0L)) {
                reloadsApplied.put(pluginId, wanted.generation());
                log.info("Plugin '{}' reloaded on another node's request", pluginId);
                here = runtime.reload(pluginId, null);
            }
            String state = here.map(PluginStatus::state).orElse("");
            try {
                switch (wanted.desired()) {
                    case STARTED -> {
                        if (state.equals("STOPPED") || state.equals("DISABLED") || state.equals("RESOLVED")) {
                            runtime.start(pluginId);
                            log.info("Plugin '{}' started on another node's request", pluginId);
                        }
                    }
                    case STOPPED -> {
                        if (state.equals("STARTED")) {
                            runtime.stop(pluginId);
                            log.info("Plugin '{}' stopped on another node's request", pluginId);
                        }
                    }
                    case DISABLED -> {
                        if (!state.equals("DISABLED")) {
                            runtime.disable(pluginId);
                            log.info("Plugin '{}' disabled on another node's request", pluginId);
                        }
                    }
                }
            } catch (IllegalStateException e) {
                log.warn("Plugin '{}' cannot be {} here: {}", pluginId, wanted.desired(), e.getMessage());
            }
        });
    }

    private Optional<String> heldBack(String pluginId) {
        JdbcPluginStore.StoredState wanted = states.get(pluginId);
        if (wanted == null || wanted.desired() == JdbcPluginStore.Desired.STARTED) {
            return Optional.empty();
        }
        return Optional.of(wanted.desired() == JdbcPluginStore.Desired.STOPPED ? "stopped by an operator" : "disabled by an operator");
    }

    /** Before the plugin folder is loaded: the cluster's JARs are put in it and its stopped plugins held back. */
    @Override
    public void start() {
        states = store.states();
        states.forEach((pluginId, wanted) -> reloadsApplied.put(pluginId, wanted.generation()));
        runtime.holdWhen(this::heldBack);
        for (JdbcPluginStore.StoredJar jar : store.jars()) {
            store.content(jar.pluginId()).ifPresent(bytes -> {
                try {
                    runtime.materialize(jar.pluginId(), bytes);
                } catch (PluginRefusedException e) {
                    log.warn("Plugin '{}' uploaded to the cluster is refused here: {}", jar.pluginId(), e.getMessage());
                }
            });
        }
        changes.subscribe(ClusterChanges.PLUGINS, this::reconcile);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the plugin runtime (phase 0) loads the folder. */
    @Override
    public int getPhase() {
        return -10;
    }
}
