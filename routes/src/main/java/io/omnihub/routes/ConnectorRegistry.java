package io.omnihub.routes;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.RateLimitedException;
import java.util.List;
import java.util.Optional;

/**
 * Where the pipeline finds the running connector instances. The runtime implements it on top of the
 * plugin loader; the routes only ever ask for an instance by connector and instance id.
 */
public interface ConnectorRegistry {

    /**
     * The instance if it is open and RUNNING; empty when unknown, stopped, paused or FAILED.
     */
    Optional<ConnectorInstance> find(String connectorId, String instanceId);

    /**
     * The instance if it may receive pushes: RUNNING, or PAUSED by an operator. A paused instance
     * still verifies and keeps what its channel pushes (a channel told 404 may never resend), while
     * the stages hold its records until it is resumed.
     */
    default Optional<ConnectorInstance> receiving(String connectorId, String instanceId) {
        return find(connectorId, instanceId);
    }

    /**
     * Whether an instance with these ids is configured, whatever its state. A webhook to a
     * configured instance that cannot receive now (starting, FAILED and being restarted, stopped) is
     * answered 503, which channels retry; only an unknown instance is answered 404.
     */
    default boolean configured(String connectorId, String instanceId) {
        return receiving(connectorId, instanceId).isPresent();
    }

    /** Every instance that is open and RUNNING now, e.g. for the poll stage to visit. */
    List<RunningInstance> running();

    /**
     * Reports that an instance's configuration cannot work (the channel rejected its credentials
     * for good, see {@link io.omnihub.connector.errors.ConfigException}). The instance is marked
     * FAILED with the reason and the pipeline stops calling it until an operator acts.
     */
    void failed(String connectorId, String instanceId, String reason);

    /**
     * Reports that the channel refused one of the instance's calls because a quota was reached. Most
     * Chinese channel APIs say so inside an HTTP 200 answer, which the instance's HTTP client cannot
     * see. The instance's circuit breaker opens for {@link RateLimitedException#retryAfter()}, so
     * none of its calls hammer the quota until the channel is likely to accept them again.
     */
    void rateLimited(String connectorId, String instanceId, RateLimitedException refusal);

    /**
     * A running instance with its ids.
     *
     * @param connectorId the connector id
     * @param instanceId  the instance id
     * @param instance    the open instance
     */
    record RunningInstance(String connectorId, String instanceId, ConnectorInstance instance) {
    }
}
