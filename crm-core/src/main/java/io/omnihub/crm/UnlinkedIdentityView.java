package io.omnihub.crm;

import java.time.Instant;

/**
 * An identifier a profile was seen with but that does not match or link it (per-profile limit,
 * declined cross-channel linking, merge blocked after an unmerge, type or phone kind not linkable,
 * a shared identifier, weak evidence for an identifier another profile holds).
 *
 * @param evidence how the channel knew it ({@code verified}, {@code stated}, {@code noted},
 *                 {@code delivery}); {@code null} when it did not say
 */
public record UnlinkedIdentityView(String type, String value, String namespace, String reason, Instant firstSeenAt,
                                   Instant lastSeenAt, String source, String evidence) {
}
