package io.omnihub.hub.cluster;

import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.connectors.InstanceStatus;
import io.omnihub.hub.metrics.InstanceMinute;
import io.omnihub.hub.metrics.StageMeters;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hub nodes on one database and their traffic. Every {@code hub.cluster.heartbeat-interval} a
 * node writes its heartbeat ({@code hub_node}) and, per connector instance, its state and last
 * minute of traffic ({@code hub_node_activity}); the board of any node adds up the minutes of every
 * node whose heartbeat is younger than {@code hub.cluster.node-timeout}. Times are the database's,
 * so nodes whose clocks disagree still agree on who is alive. A node that stops removes itself.
 */
public class ClusterNodes implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);

    /**
     * A live node.
     *
     * @param nodeId      its name ({@code hub.cluster.node-id})
     * @param startedAt   when it started
     * @param heartbeatAt its last heartbeat
     */
    public record Node(String nodeId, Instant startedAt, Instant heartbeatAt) {
    }

    /**
     * One instance on another node, as of that node's last heartbeat.
     *
     * @param nodeId      the node
     * @param state       the instance's state there
     * @param minute      its last minute of traffic there
     * @param lastError   the last stage failure there, masked, or null
     * @param lastErrorAt when
     */
    public record PeerInstance(String nodeId, String state, InstanceMinute minute, String lastError, Instant lastErrorAt) {
    }

    /** What the other nodes reported, read at most once per half heartbeat interval. */
    private record Snapshot(long readAtNanos, List<Node> nodes, Map<String, List<PeerInstance>> peers) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String nodeId;
    private final Duration heartbeatInterval;
    private final Duration nodeTimeout;
    private final ConnectorInstances instances;
    private final StageMeters meters;
    private final Instant startedAt = Instant.now();
    private volatile Snapshot snapshot;
    private ScheduledExecutorService heartbeats;
    private volatile boolean running;
    private boolean healthy = true;

    public ClusterNodes(DataSource dataSource, ClusterProperties properties, ConnectorInstances instances, StageMeters meters) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.nodeId = properties.getNodeId() == null || properties.getNodeId().isBlank() ? defaultNodeId() : properties.getNodeId();
        this.heartbeatInterval = properties.getHeartbeatInterval();
        this.nodeTimeout = properties.getNodeTimeout();
        this.instances = instances;
        this.meters = meters;
    }

    private static String defaultNodeId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "hub";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** This node's name. */
    public String nodeId() {
        return nodeId;
    }

    /** Writes this node's heartbeat and its last minute per instance now (the heartbeat thread calls it too). */
    public void heartbeat() {
        List<Object[]> rows = new ArrayList<>();
        for (InstanceStatus status : instances.statuses()) {
            InstanceMinute minute = meters.minute(status.connector(), status.instance());
            StageMeters.LastError error = meters.lastError(status.connector(), status.instance()).orElse(null);
            rows.add(new Object[] {status.connector(), status.instance(), status.state().name(), minute,
                    error == null ? null : error.message(), error == null ? null : Timestamp.from(error.at())});
        }
        transactions.executeWithoutResult(tx -> {
            jdbc.update("""
                    INSERT INTO hub_node (node_id, started_at, heartbeat_at) VALUES (?, ?, now())
                    ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()
                    """, nodeId, Timestamp.from(startedAt));
            jdbc.update("DELETE FROM hub_node_activity WHERE node_id = ?", nodeId);
            jdbc.execute((java.sql.Connection connection) -> {
                try (var insert = connection.prepareStatement("""
                        INSERT INTO hub_node_activity (node_id, connector, instance, state, handled, failed, applied,
                                                       latency_buckets, last_error, last_error_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)) {
                    for (Object[] row : rows) {
                        InstanceMinute minute = (InstanceMinute) row[3];
                        Long[] buckets = java.util.Arrays.stream(minute.latencyBuckets()).boxed().toArray(Long[]::new);
                        insert.setString(1, nodeId);
                        insert.setString(2, (String) row[0]);
                        insert.setString(3, (String) row[1]);
                        insert.setString(4, (String) row[2]);
                        insert.setLong(5, minute.handled());
                        insert.setLong(6, minute.failed());
                        insert.setLong(7, minute.applied());
                        insert.setArray(8, connection.createArrayOf("bigint", buckets));
                        insert.setString(9, (String) row[4]);
                        insert.setTimestamp(10, (Timestamp) row[5]);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                return null;
            });
            // Nodes that vanished without stopping (killed) are forgotten after a while.
            jdbc.update("DELETE FROM hub_node WHERE heartbeat_at < now() - make_interval(secs => ?)",
                    (double) nodeTimeout.multipliedBy(30).toSeconds());
        });
    }

    /** The live nodes, this one included. */
    public List<Node> nodes() {
        return current().nodes();
    }

    /** What every other live node reported per instance, by {@code connector/instance}. */
    public Map<String, List<PeerInstance>> peers() {
        return current().peers();
    }

    private Snapshot current() {
        Snapshot seen = snapshot;
        long now = System.nanoTime();
        if (seen != null && now - seen.readAtNanos() < heartbeatInterval.toNanos() / 2) {
            return seen;
        }
        Snapshot read = read(now);
        snapshot = read;
        return read;
    }

    private Snapshot read(long now) {
        double timeout = nodeTimeout.toMillis() / 1000.0;
        List<Node> nodes = jdbc.query("""
                SELECT node_id, started_at, heartbeat_at FROM hub_node
                WHERE heartbeat_at > now() - make_interval(secs => ?) OR node_id = ?
                ORDER BY node_id
                """, (row, n) -> new Node(row.getString(1), row.getTimestamp(2).toInstant(), row.getTimestamp(3).toInstant()),
                timeout, nodeId);
        Map<String, List<PeerInstance>> peers = new LinkedHashMap<>();
        jdbc.query("""
                SELECT a.node_id, a.connector, a.instance, a.state, a.handled, a.failed, a.applied, a.latency_buckets,
                       a.last_error, a.last_error_at
                FROM hub_node_activity a JOIN hub_node n ON n.node_id = a.node_id
                WHERE n.heartbeat_at > now() - make_interval(secs => ?) AND a.node_id <> ?
                """, row -> {
            Array array = row.getArray(8);
            Long[] boxed = (Long[]) array.getArray();
            long[] buckets = new long[InstanceMinute.none().latencyBuckets().length];
            for (int i = 0; i < Math.min(boxed.length, buckets.length); i++) {
                buckets[i] = boxed[i];
            }
            Timestamp errorAt = row.getTimestamp(10);
            peers.computeIfAbsent(row.getString(2) + "/" + row.getString(3), key -> new ArrayList<>())
                    .add(new PeerInstance(row.getString(1), row.getString(4),
                            new InstanceMinute(row.getLong(5), row.getLong(6), row.getLong(7), buckets),
                            row.getString(9), errorAt == null ? null : errorAt.toInstant()));
        }, timeout, nodeId);
        return new Snapshot(now, nodes, peers);
    }

    private void heartbeatSafely() {
        try {
            heartbeat();
            if (!healthy) {
                log.info("Cluster heartbeat of node {} written again", nodeId);
            }
            healthy = true;
        } catch (RuntimeException e) {
            if (healthy) {
                log.warn("Cannot write the cluster heartbeat of node {}: {}", nodeId, e.getMessage());
            }
            healthy = false;
        }
    }

    @Override
    public void start() {
        heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cluster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeats.scheduleWithFixedDelay(this::heartbeatSafely, 0, Math.max(100, heartbeatInterval.toMillis()), TimeUnit.MILLISECONDS);
        running = true;
        log.info("Cluster node {}", nodeId);
    }

    @Override
    public void stop() {
        running = false;
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            try {
                heartbeats.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            jdbc.update("DELETE FROM hub_node WHERE node_id = ?", nodeId);
        } catch (RuntimeException e) {
            log.debug("Node {} not removed from the cluster: {}", nodeId, e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 100;
    }
}
