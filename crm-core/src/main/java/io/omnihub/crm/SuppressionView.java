package io.omnihub.crm;

import java.time.Instant;

/**
 * An identifier of an erased customer that keeps events from being applied, shown without its value.
 *
 * @param id         the suppression's id (what an operator lifts)
 * @param type       the identifier's type, e.g. {@code phone}
 * @param namespace  its namespace (an openid's appid), or empty
 * @param createdAt  when it was suppressed
 * @param erasureId  the erasure that suppressed it
 * @param hits       how many deliveries of events carrying it were not applied
 * @param lastHitAt  the latest of those, or null
 * @param liftedAt   when an operator lifted it, or null while it holds
 * @param liftedBy   who lifted it
 * @param liftReason why
 */
public record SuppressionView(String id, String type, String namespace, Instant createdAt, String erasureId, long hits,
                              Instant lastHitAt, Instant liftedAt, String liftedBy, String liftReason) {
}
