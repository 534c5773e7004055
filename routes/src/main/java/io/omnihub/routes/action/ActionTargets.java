package io.omnihub.routes.action;

import io.omnihub.connector.action.ActionSender;
import java.util.Optional;

/**
 * Where the dispatch stage finds the sender for an action's connector instance: a running connector
 * instance's {@link ActionSender}, or one of the hub's own senders (the outbound webhook).
 */
@FunctionalInterface
public interface ActionTargets {

    /**
     * The sender for {@code connectorId}/{@code instanceId}; empty when that instance is not running
     * now (the action waits and is tried again).
     *
     * @throws io.omnihub.routes.InstancePausedException when the instance's
     *         actions are held (an operator paused it, or its circuit breaker is open): they wait,
     *         without counting an attempt, until it runs again
     * @throws io.omnihub.connector.errors.BadInputException when the instance runs but can never send
     *         actions (it has no action sender)
     */
    Optional<ActionSender> sender(String connectorId, String instanceId);

    /**
     * Tells the instance's health that one of its actions failed with {@code error}: a refusal for
     * good marks it FAILED, a quota refusal opens its circuit for the channel's wait. Does nothing by
     * default (targets that are not connector instances, such as outbound webhooks).
     */
    default void failed(String connectorId, String instanceId, RuntimeException error) {
    }

    /**
     * Whether actions of {@code kind} sent through {@code connectorId} carry the action id to the
     * channel as a key the channel de-duplicates by, so sending one again after an interrupted send
     * reaches the recipient once. When false (the default) an interrupted send is never repeated: the
     * action is marked {@code unknown} for an operator.
     */
    default boolean carriesIdempotencyKey(String connectorId, String kind) {
        return false;
    }
}
