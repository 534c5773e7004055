package io.omnihub.hub.apitokens;

import io.omnihub.hub.HubProperties.Security.Role;
import java.time.Instant;

/**
 * An API token as it is listed: everything but the token itself, which only its creator saw once.
 *
 * @param id         the token's id, to revoke it by
 * @param name       what it is for, e.g. "erp-sync"
 * @param role       what it may do: viewer, operator or admin
 * @param hint       the token's first characters, to recognise it in a client's configuration
 * @param createdAt  when it was created
 * @param createdBy  the admin who created it
 * @param expiresAt  when it stops working, or null for never
 * @param lastUsedAt when it was last used, to the minute, or null
 * @param revokedAt  when it was revoked, or null
 * @param revokedBy  who revoked it, or null
 * @param reveal     whether it may also reveal customers' personal data (operator and admin tokens;
 *                   an admin token always may)
 */
public record ApiToken(String id, String name, Role role, String hint, Instant createdAt, String createdBy,
                       Instant expiresAt, Instant lastUsedAt, Instant revokedAt, String revokedBy, boolean reveal) {

    /** Whether a request carrying it is let in at {@code now}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
