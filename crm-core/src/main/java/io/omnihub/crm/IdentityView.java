package io.omnihub.crm;

import java.time.Instant;

/**
 * An identifier linked to a profile.
 *
 * @param namespace {@code null} for global types
 * @param source    the event source that first stated it
 */
public record IdentityView(String type, String value, String namespace, Instant firstSeenAt, Instant lastSeenAt,
                           String source) {
}
