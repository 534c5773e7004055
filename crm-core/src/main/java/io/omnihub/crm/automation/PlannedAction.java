package io.omnihub.crm.automation;

import io.omnihub.connector.event.Identity;
import java.util.Map;

/**
 * An action for a channel, ready to be sent: what the outbox hands to {@code hub.actions}.
 *
 * @param id         the idempotency key ({@code <enrollment>:<step>} or {@code rule:<rule>:<event>:<n>})
 * @param customerId who it is for
 * @param kind       the sender's action kind, e.g. {@code wechat.template}, or {@code webhook}
 * @param connector  the connector id ({@code webhook} for the hub's own webhook sender)
 * @param instance   the instance (for webhooks: the target)
 * @param recipient  the identity to address, or null (webhooks)
 * @param payload    kind-specific fields, rendered
 */
public record PlannedAction(String id, String customerId, String kind, String connector, String instance, Identity recipient,
                            Map<String, Object> payload) {
}
