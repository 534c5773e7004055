package io.omnihub.connector.action;

import io.omnihub.connector.event.Identity;
import java.util.Map;
import java.util.Objects;

/**
 * One thing to do on a channel.
 *
 * @param id        unique and stable per (enrollment, step): the idempotency key
 * @param kind      one of the sender's {@link ActionSender#kinds()}
 * @param recipient the identity to act on, in this channel's terms
 * @param payload   kind-specific fields (template id, data, url, ...)
 */
public record OutboundAction(String id, String kind, Identity recipient, Map<String, Object> payload) {

    public OutboundAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        payload = payload == null ? Map.of() : Map.copyOf(payload);
    }
}
