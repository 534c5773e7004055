package io.omnihub.crm;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A profile as a batch holds it while its row is locked: what linking decisions read and applying changes. */
final class ProfileState {
    final UUID id;
    final Instant createdAt;
    boolean active;
    ObjectNode attrs;
    ObjectNode consent;
    /** Profiles this one must not be merged with by events (an operator undid a merge of the two). */
    final Set<UUID> blockedWith = new HashSet<>();
    /** The identifiers it owns. */
    final Set<IdKey> ids = new HashSet<>();
    /** Created by this batch and not written yet. */
    boolean isNew;
    /** Attributes or consent changed and not written yet. */
    boolean dirty;

    ProfileState(UUID id, Instant createdAt, boolean active, ObjectNode attrs, ObjectNode consent) {
        this.id = id;
        this.createdAt = createdAt;
        this.active = active;
        this.attrs = attrs;
        this.consent = consent;
    }

    /** Whether its most recent consent statement declined cross-channel linking. */
    boolean declinedLinking() {
        JsonNode e = consent.get("crossChannelLinking");
        return e != null && e.path("v").isBoolean() && !e.path("v").booleanValue();
    }
}
