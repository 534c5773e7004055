package io.omnihub.hub.plugins;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors of every started plugin, by connector id. The plugin runtime adds and removes
 * entries as plugins start and stop; listeners (the connector instances) open and close instances
 * in step, synchronously, so that nothing uses a plugin's classes once it is being unloaded.
 */
public class ConnectorCatalog {

    private static final Logger log = LoggerFactory.getLogger(ConnectorCatalog.class);

    /**
     * Told when connectors come and go. Called on the plugin runtime's thread; must not block for
     * long, except that closing a removed connector's instances waits (bounded) for their calls in
     * progress, which must end before the plugin's classes go.
     */
    public interface Listener {

        /** A connector became available: open its configured instances. */
        void connectorAdded(CatalogEntry entry);

        /** A connector is about to be unloaded: close its instances now. */
        void connectorRemoved(CatalogEntry entry);
    }

    private final Map<String, CatalogEntry> entries = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Registers a listener and tells it about the connectors already present. */
    public void addListener(Listener listener) {
        listeners.add(listener);
        entries.values().forEach(listener::connectorAdded);
    }

    /** Stops telling a listener about changes. */
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * Adds a connector.
     *
     * @return empty when added; otherwise why not (another plugin already provides its id)
     */
    synchronized Optional<String> add(CatalogEntry entry) {
        CatalogEntry existing = entries.putIfAbsent(entry.connectorId(), entry);
        if (existing != null) {
            return Optional.of("connector '" + entry.connectorId() + "' is already provided by plugin '" + existing.pluginId() + "'");
        }
        log.info("Connector '{}' {} available from plugin '{}'", entry.connectorId(), entry.descriptor().version(), entry.pluginId());
        for (Listener listener : listeners) {
            try {
                listener.connectorAdded(entry);
            } catch (RuntimeException e) {
                log.error("Listener failed on connector '{}' added", entry.connectorId(), e);
            }
        }
        return Optional.empty();
    }

    /**
     * Removes every connector of {@code pluginId}, then tells the listeners, before the plugin is
     * unloaded. Removed first, so that nothing reopens an instance on the going plugin while its
     * instances' calls end.
     */
    synchronized void removePlugin(String pluginId) {
        List<CatalogEntry> removed = new ArrayList<>();
        entries.values().stream().filter(entry -> entry.pluginId().equals(pluginId)).forEach(removed::add);
        for (CatalogEntry entry : removed) {
            entries.remove(entry.connectorId());
            for (Listener listener : listeners) {
                try {
                    listener.connectorRemoved(entry);
                } catch (RuntimeException e) {
                    log.error("Listener failed on connector '{}' removed", entry.connectorId(), e);
                }
            }
            log.info("Connector '{}' of plugin '{}' removed", entry.connectorId(), pluginId);
        }
    }

    /** The connector with this id, if a started plugin provides it. */
    public Optional<CatalogEntry> find(String connectorId) {
        return Optional.ofNullable(entries.get(connectorId));
    }

    /** Every available connector. */
    public Collection<CatalogEntry> all() {
        return List.copyOf(entries.values());
    }
}
