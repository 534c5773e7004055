package io.omnihub.connector.action;

import java.util.Set;

/**
 * Performs outbound actions on the channel (send a template message, save a customer).
 *
 * <p>The hub calls {@link #send} from its dispatch stage through the instance's circuit breaker. A
 * call may be repeated after a crash; pass {@link OutboundAction#id()} to the channel as an
 * idempotency key where the channel supports one.
 */
public interface ActionSender {

    /** The action kinds this sender understands, e.g. {@code wechat.template}. */
    Set<String> kinds();

    /**
     * @throws io.omnihub.connector.errors.TransientException, RateLimitedException when worth retrying
     * @throws io.omnihub.connector.errors.BadInputException when the action can never succeed
     */
    ActionResult send(OutboundAction action);
}
