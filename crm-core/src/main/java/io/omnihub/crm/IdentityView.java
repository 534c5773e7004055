package io.omnihub.crm;

import java.time.Instant;

/**
 * An identifier linked to a profile.
 *
 * @param namespace {@code null} for global types
 * @param source    the event source that first stated it
 * @param evidence  the strongest evidence the profile holds it by ({@code verified}, {@code stated},
 *                  {@code noted}, {@code delivery}); {@code null} when no event said. Weak evidence
 *                  (noted, delivery) never merges this profile with another.
 */
public record IdentityView(String type, String value, String namespace, Instant firstSeenAt, Instant lastSeenAt,
                           String source, String evidence) {
}
