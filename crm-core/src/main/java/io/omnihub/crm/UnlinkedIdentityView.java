package io.omnihub.crm;

import java.time.Instant;

/**
 * An identifier a profile was seen with but that does not match or link it (per-profile limit,
 * declined cross-channel linking, merge blocked after an unmerge, type not linkable).
 */
public record UnlinkedIdentityView(String type, String value, String namespace, String reason, Instant firstSeenAt,
                                   Instant lastSeenAt, String source) {
}
