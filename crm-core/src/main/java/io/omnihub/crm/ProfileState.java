package io.omnihub.crm;

import io.omnihub.connector.event.Evidence;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
    /** The evidence by which it holds each identifier it owns; absent for "unspecified" (strong). */
    final Map<IdKey, Evidence> held = new HashMap<>();
    /** For identifiers it holds on weak evidence: on how many distinct orders it saw them. */
    final Map<IdKey, IdentityGraph.Sighting> weakOrders = new HashMap<>();
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

    /** Whether it holds {@code key} on weak evidence only (noted, delivery). */
    boolean holdsWeakly(IdKey key) {
        Evidence e = held.get(key);
        return e != null && !e.strong();
    }

    /** How many distinct orders showed {@code key}, held on weak evidence, with this profile. */
    int weakOrders(IdKey key) {
        IdentityGraph.Sighting s = weakOrders.get(key);
        return s == null ? 0 : s.observations();
    }

    /** Whether it holds at least one identifier on strong evidence: an established profile, which weak evidence never merges. */
    boolean established() {
        for (IdKey k : ids) {
            if (!holdsWeakly(k)) {
                return true;
            }
        }
        return false;
    }

    /** Whether its most recent consent statement declined cross-channel linking. */
    boolean declinedLinking() {
        JsonNode e = consent.get("crossChannelLinking");
        return e != null && e.path("v").isBoolean() && !e.path("v").booleanValue();
    }
}
