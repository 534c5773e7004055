package io.omnihub.hub.console;

import io.omnihub.hub.cluster.ClusterNodes;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.connectors.InstanceState;
import io.omnihub.hub.connectors.InstanceStatus;
import io.omnihub.hub.deadletters.DeadLetterOffice;
import io.omnihub.hub.metrics.InstanceMinute;
import io.omnihub.hub.metrics.StageMeters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * The route health board: the pipeline's Camel routes, and one row per connector instance with its
 * state, last minute of traffic, circuit breaker and dead letters. The traffic figures are the
 * cluster's: this node's meters plus the last minute every other live node reported
 * ({@link ClusterNodes}), so every node's board shows the same figures. Built from memory plus one
 * cached read of the other nodes' minutes and one cached count of the dead-letter queue, so it is
 * cheap enough to refresh every few seconds with dozens of instances.
 */
public class RouteHealthBoard {

    private final ConnectorInstances instances;
    private final StageMeters meters;
    private final DeadLetterOffice deadLetters;
    private final CamelContext camel;
    private final Clock clock;
    private final ClusterNodes cluster;

    public RouteHealthBoard(ConnectorInstances instances, StageMeters meters, DeadLetterOffice deadLetters,
                            CamelContext camel, Clock clock, ClusterNodes cluster) {
        this.cluster = cluster;
        this.instances = instances;
        this.meters = meters;
        this.deadLetters = deadLetters;
        this.camel = camel;
        this.clock = clock;
    }

    /**
     * The whole board.
     *
     * @param generatedAt when it was built
     * @param routes      the pipeline's routes by id, with their status
     * @param instances   one row per configured connector instance
     * @param deadLetters every message parked on {@code hub.dlq}
     * @param node        the node that built the board
     * @param nodes       the live hub nodes whose traffic the figures add up
     */
    public record Board(Instant generatedAt, List<RouteRow> routes, List<InstanceRow> instances, long deadLetters,
                        String node, List<ClusterNodes.Node> nodes) {
    }

    /**
     * One Camel route.
     *
     * @param id     the route id operators see ({@code webhook-ingress}, {@code normalize}, ...)
     * @param status {@code Started}, {@code Stopped}, ...
     * @param from   what it consumes
     */
    public record RouteRow(String id, String status, String from) {
    }

    /**
     * One connector instance.
     *
     * @param connector        the connector id
     * @param instance         the instance id
     * @param state            RUNNING, PAUSED, FAILED or STOPPED
     * @param since            when it entered that state
     * @param eventsPerMinute  events the CRM core applied from it in the last minute, on all nodes
     * @param handledPerMinute messages the stages handled for it in the last minute, on all nodes
     * @param errorRate        the share of those that failed, 0..1
     * @param p95LatencyMillis receipt-to-applied latency, 95th percentile, or null without traffic
     * @param lastError        the latest thing that went wrong (FAILED reason, failed check, stage error or dead letter), masked
     * @param lastErrorAt      when
     * @param circuitBreaker   CLOSED, OPEN, HALF_OPEN ..., or null before its first call
     * @param deadLetters      its messages parked on {@code hub.dlq}
     * @param lastCheck        its last check, or null
     * @param restarts         automatic restarts attempted since it last ran
     * @param nextRestartAt    when the next automatic restart is due, or null
     * @param nodeStates       its state on each live node, this one included, by node id
     * @param warnings         what the connector says an operator should know (e.g. an account without safe mode)
     */
    public record InstanceRow(String connector, String instance, InstanceState state, Instant since,
                              long eventsPerMinute, long handledPerMinute, double errorRate, Double p95LatencyMillis,
                              String lastError, Instant lastErrorAt, String circuitBreaker, long deadLetters,
                              InstanceStatus.CheckStatus lastCheck, int restarts, Instant nextRestartAt,
                              Map<String, String> nodeStates, List<String> warnings) {
    }

    /** Builds the board now. */
    public Board board() {
        Map<String, DeadLetterOffice.InstanceCount> parked = deadLetters.countsByInstance();
        long totalParked = parked.values().stream().mapToLong(DeadLetterOffice.InstanceCount::depth).sum();
        Map<String, List<ClusterNodes.PeerInstance>> peers = cluster.peers();
        List<InstanceRow> rows = new ArrayList<>();
        for (InstanceStatus status : instances.statuses()) {
            String key = status.connector() + "/" + status.instance();
            InstanceMinute minute = meters.minute(status.connector(), status.instance());
            StageMeters.LastError lastError = meters.lastError(status.connector(), status.instance()).orElse(null);
            Map<String, String> nodeStates = new TreeMap<>();
            nodeStates.put(cluster.nodeId(), status.state().name());
            for (ClusterNodes.PeerInstance peer : peers.getOrDefault(key, List.of())) {
                minute = minute.plus(peer.minute());
                nodeStates.put(peer.nodeId(), peer.state());
                if (peer.lastError() != null && peer.lastErrorAt() != null
                        && (lastError == null || peer.lastErrorAt().isAfter(lastError.at()))) {
                    lastError = new StageMeters.LastError(peer.lastError(), peer.lastErrorAt());
                }
            }
            StageMeters.Activity activity = StageMeters.Activity.of(minute, lastError);
            DeadLetterOffice.InstanceCount count = parked.get(key);
            LatestError latest = latestError(status, activity, count);
            rows.add(new InstanceRow(status.connector(), status.instance(), status.state(), status.since(),
                    activity.eventsPerMinute(), activity.handledPerMinute(), activity.errorRate(), activity.p95LatencyMillis(),
                    latest.message(), latest.at(), status.circuitBreaker(), count == null ? 0 : count.depth(),
                    status.lastCheck(), status.restarts(), status.nextRestartAt(), nodeStates, status.warnings()));
        }
        List<RouteRow> routes = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            ServiceStatus routeStatus = camel.getRouteController().getRouteStatus(route.getRouteId());
            routes.add(new RouteRow(route.getRouteId(), routeStatus == null ? "Unknown" : routeStatus.name(),
                    route.getEndpoint().getEndpointBaseUri()));
        }
        routes.sort(java.util.Comparator.comparing(RouteRow::id));
        return new Board(clock.instant(), routes, rows, totalParked, cluster.nodeId(), cluster.nodes());
    }

    private record LatestError(String message, Instant at) {
        static final LatestError NONE = new LatestError(null, null);

        LatestError newer(String otherMessage, Instant otherAt) {
            if (otherMessage == null || otherAt == null) {
                return this;
            }
            return at == null || otherAt.isAfter(at) ? new LatestError(otherMessage, otherAt) : this;
        }
    }

    private static LatestError latestError(InstanceStatus status, StageMeters.Activity activity, DeadLetterOffice.InstanceCount count) {
        if (status.state() == InstanceState.FAILED) {
            return new LatestError(status.error(), status.since());
        }
        LatestError latest = LatestError.NONE;
        if (status.lastCheck() != null && !status.lastCheck().ok()) {
            latest = latest.newer("check failed: " + status.lastCheck().message(), status.lastCheck().at());
        }
        if (activity.lastError() != null) {
            latest = latest.newer(activity.lastError().message(), activity.lastError().at());
        }
        if (count != null) {
            latest = latest.newer("dead letter: " + count.lastError(), count.lastFailureAt());
        }
        return latest;
    }
}
