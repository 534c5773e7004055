package io.omnihub.routes.ingress;

import java.time.Duration;
import java.util.Map;

/**
 * How much a webhook request may send and how long it may take, per connector.
 *
 * @param maxBodyBytes             the largest body accepted when the connector has no limit of its own
 * @param maxBodyBytesByConnector  limits of particular connectors, by connector id
 * @param deadline                 how long a request may be held before it is answered 503, when the
 *                                 connector has no deadline of its own; reading the body counts
 * @param deadlineByConnector      deadlines of particular connectors, by connector id
 * @param retryAfter               what a 503 tells the channel in {@code Retry-After}
 */
public record WebhookLimits(long maxBodyBytes, Map<String, Long> maxBodyBytesByConnector,
                            Duration deadline, Map<String, Duration> deadlineByConnector, Duration retryAfter) {

    public WebhookLimits {
        maxBodyBytesByConnector = Map.copyOf(maxBodyBytesByConnector);
        deadlineByConnector = Map.copyOf(deadlineByConnector);
    }

    /** The same limits for every connector. */
    public static WebhookLimits uniform(long maxBodyBytes, Duration deadline, Duration retryAfter) {
        return new WebhookLimits(maxBodyBytes, Map.of(), deadline, Map.of(), retryAfter);
    }

    /** The largest body a request to {@code connectorId} may carry. */
    public long maxBodyBytes(String connectorId) {
        return maxBodyBytesByConnector.getOrDefault(connectorId, maxBodyBytes);
    }

    /** How long a request to {@code connectorId} may be held before the hub answers 503. */
    public Duration deadline(String connectorId) {
        return deadlineByConnector.getOrDefault(connectorId, deadline);
    }
}
