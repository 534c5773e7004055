package io.omnihub.hub.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tells every hub node on the database that shared state of some kind changed: a versioned poll.
 * The node that changes instances or plugins {@link #announce announces} it (one version per topic
 * in {@code hub_cluster_version}, counted up); every node reads the versions every
 * {@code hub.cluster.sync-interval} and calls the subscribers of each topic whose version moved, who
 * then re-read that state and apply the difference. Subscribers are also called once at start and
 * after the database was unreachable, so a node never misses a change it slept through.
 *
 * <p>A poll of one small table was chosen over {@code LISTEN/NOTIFY}: it needs no connection held
 * open, survives a database failover as it is, and a second's delay is well within what operators expect.
 */
public class ClusterChanges implements SmartLifecycle {

    /** Connector instance definitions and the states operators put them in. */
    public static final String INSTANCES = "instances";
    /** Uploaded plugin JARs and the states operators put plugins in. */
    public static final String PLUGINS = "plugins";

    private static final Logger log = LoggerFactory.getLogger(ClusterChanges.class);

    private final JdbcTemplate jdbc;
    private final Duration interval;
    private final Map<String, List<Runnable>> subscribers = new java.util.concurrent.ConcurrentHashMap<>();
    /** The version of each topic the subscribers last saw; empty until the first poll, and after a failed one. */
    private final Map<String, Long> seen = new HashMap<>();
    private boolean healthy;
    private ScheduledExecutorService poller;
    private volatile boolean running;

    public ClusterChanges(DataSource dataSource, Duration interval) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.interval = interval;
    }

    /** Calls {@code onChange} whenever any node announces a change of {@code topic}, and once at start. */
    public void subscribe(String topic, Runnable onChange) {
        subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(onChange);
    }

    /** Tells every node (this one included, which finds nothing to do) that {@code topic} changed. */
    public void announce(String topic) {
        jdbc.update("""
                INSERT INTO hub_cluster_version (topic, version) VALUES (?, 1)
                ON CONFLICT (topic) DO UPDATE SET version = hub_cluster_version.version + 1
                """, topic);
    }

    /** Looks for changes now (the poller calls it every {@code hub.cluster.sync-interval}). */
    public synchronized void poll() {
        Map<String, Long> versions = new HashMap<>();
        try {
            jdbc.query("SELECT topic, version FROM hub_cluster_version", row -> {
                versions.put(row.getString(1), row.getLong(2));
            });
        } catch (RuntimeException e) {
            if (healthy) {
                log.warn("Cannot read the cluster's state versions; changes made on other nodes wait: {}", e.getMessage());
            }
            healthy = false;
            seen.clear();
            return;
        }
        boolean everything = !healthy;
        healthy = true;
        subscribers.forEach((topic, onChange) -> {
            Long version = versions.getOrDefault(topic, 0L);
            if (everything || !version.equals(seen.get(topic))) {
                seen.put(topic, version);
                for (Runnable subscriber : onChange) {
                    try {
                        subscriber.run();
                    } catch (RuntimeException e) {
                        log.warn("Applying the cluster's {} failed, trying again at the next change or start: {}", topic, e.toString());
                        seen.remove(topic);
                    }
                }
            }
        });
    }

    @Override
    public void start() {
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cluster-sync");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(50, interval.toMillis());
        poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the plugins (phase 0): what other nodes changed is applied to plugins that are loaded. */
    @Override
    public int getPhase() {
        return 10;
    }
}
