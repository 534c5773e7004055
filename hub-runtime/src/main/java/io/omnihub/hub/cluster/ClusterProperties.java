package io.omnihub.hub.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the hub nodes sharing one PostgreSQL keep in step, under {@code hub.cluster.*}. A single hub
 * is a cluster of one: the defaults need no change for one node or many.
 */
@ConfigurationProperties("hub.cluster")
public class ClusterProperties {

    /**
     * This node's name on the board and in {@code hub_node}. Empty (the default): the host name and
     * the process id, which is the pod's name on Kubernetes.
     */
    private String nodeId = "";

    /**
     * How often a node looks whether another node changed instances or plugins. A change made on one
     * node takes effect on every other node within about this long.
     */
    private Duration syncInterval = Duration.ofSeconds(1);

    /**
     * How often a node writes its heartbeat and its last minute of traffic per instance, which the
     * board of every node adds up.
     */
    private Duration heartbeatInterval = Duration.ofSeconds(5);

    /** A node whose last heartbeat is older than this is gone: its traffic no longer counts on the board. */
    private Duration nodeTimeout = Duration.ofSeconds(20);

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public Duration getSyncInterval() {
        return syncInterval;
    }

    public void setSyncInterval(Duration syncInterval) {
        this.syncInterval = syncInterval;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getNodeTimeout() {
        return nodeTimeout;
    }

    public void setNodeTimeout(Duration nodeTimeout) {
        this.nodeTimeout = nodeTimeout;
    }
}
