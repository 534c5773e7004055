package io.omnihub.crm.automation;

import java.time.Instant;
import java.util.Map;

/**
 * An action a rule or journey took, and what became of it.
 *
 * @param id               the idempotency key
 * @param customerId       who it was for
 * @param origin           {@code journey:<id>} or {@code rule:<id>}
 * @param kind             {@code send} kinds such as {@code wechat.template}, {@code webhook}, {@code task},
 *                         {@code tag}, {@code untag}, {@code score}
 * @param connector        for channel actions, the connector
 * @param instance         for channel actions, the instance
 * @param recipientType    the identity type addressed
 * @param recipient        the identity addressed, masked
 * @param payload          what was sent or done
 * @param marketing        whether marketing guards applied
 * @param campaign         the campaign, or null
 * @param status           planned, queued, retrying, sent, failed, suppressed (by a guard), done (internal actions)
 * @param reason           why it was suppressed, failed or deferred; the channel's note when sent
 * @param attempts         delivery attempts so far
 * @param channelReference the channel's id for it (a msgid), when sent
 * @param notBefore        not sent before (quiet hours)
 * @param createdAt        when it was planned
 * @param updatedAt        last change
 */
public record ActionRecord(String id, String customerId, String origin, String kind, String connector, String instance,
                           String recipientType, String recipient, Map<String, Object> payload, boolean marketing, String campaign,
                           String status, String reason, int attempts, String channelReference, Instant notBefore,
                           Instant createdAt, Instant updatedAt) {
}
