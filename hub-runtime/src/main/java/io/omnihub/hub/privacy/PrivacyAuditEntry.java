package io.omnihub.hub.privacy;

import java.time.Instant;

/**
 * One look at a person's data in clear.
 *
 * @param id            the entry's id, increasing
 * @param at            when
 * @param actor         who: a user name, or {@code token:<name>} for an API token
 * @param action        {@code reveal} (the customer's personal data shown unmasked) or {@code export}
 *                      (everything held about the customer handed out)
 * @param customerId    the customer's profile id as it was asked for
 * @param reason        why, as the actor gave it (masked like a log line)
 * @param clientAddress the address the request came from
 */
public record PrivacyAuditEntry(long id, Instant at, String actor, String action, String customerId, String reason,
                                String clientAddress) {
}
