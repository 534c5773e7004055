package io.omnihub.hub.automation;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.InstancePausedException;
import io.omnihub.routes.action.ActionTargets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The senders actions go to: the hub's own webhook targets, and every running connector instance's
 * {@link ActionSender}. An instance whose circuit breaker is open, or that an operator paused, has
 * its actions held back (they wait without counting an attempt, DESIGN §4) while every other instance
 * goes on sending; an instance that is stopped or unknown has its actions retried with a durable
 * backoff and, when that runs out, parked on the dead-letter queue.
 */
public final class HubActionTargets implements ActionTargets {

    /**
     * Kinds whose senders pass {@code OutboundAction.id()} to the channel as a key it de-duplicates by:
     * the outbound webhook ({@code X-OmniHub-Action-Id}) and WeChat template messages
     * ({@code client_msg_id}). An interrupted send of these is sent again; of any other kind, never.
     */
    static final Set<String> IDEMPOTENT_KINDS = Set.of(OutboundWebhookSender.KIND, "wechat.template");

    private final ConnectorRegistry registry;
    private final ResilienceRegistries resilience;
    private final Map<String, OutboundWebhookSender> webhooks;

    public HubActionTargets(ConnectorRegistry registry, ResilienceRegistries resilience, Map<String, OutboundWebhookSender> webhooks) {
        this.registry = registry;
        this.resilience = resilience;
        this.webhooks = Map.copyOf(webhooks);
    }

    @Override
    public Optional<ActionSender> sender(String connectorId, String instanceId) {
        String name = connectorId + "/" + instanceId;
        CircuitBreaker breaker = resilience.circuitBreakers().find(name).orElse(null);
        if (breaker != null && breaker.getState() == CircuitBreaker.State.OPEN) {
            throw new InstancePausedException(connectorId, instanceId,
                    "has an open circuit breaker: its actions wait until it closes");
        }
        if (OutboundWebhookSender.CONNECTOR.equals(connectorId)) {
            OutboundWebhookSender sender = webhooks.get(instanceId);
            if (sender == null) {
                throw new BadInputException("no webhook target '" + instanceId + "' is configured (hub.automation.webhooks."
                        + instanceId + ".url and .secret)");
            }
            return Optional.of(sender);
        }
        Optional<ConnectorInstance> instance = registry.find(connectorId, instanceId);
        if (instance.isEmpty()) {
            if (registry.receiving(connectorId, instanceId).isPresent()) {
                throw new InstancePausedException(connectorId, instanceId);
            }
            return Optional.empty();
        }
        return Optional.of(instance.get().actions().orElseThrow(() -> new BadInputException(name
                + " sends no actions (its connector offers none, or it lacks the credentials for them)")));
    }

    @Override
    public boolean carriesIdempotencyKey(String connectorId, String kind) {
        return IDEMPOTENT_KINDS.contains(kind);
    }

    @Override
    public void failed(String connectorId, String instanceId, RuntimeException error) {
        if (error instanceof ConfigException refused) {
            registry.failed(connectorId, instanceId, refused.getMessage());
        } else if (error instanceof RateLimitedException limited) {
            registry.rateLimited(connectorId, instanceId, limited);
        }
    }
}
