package io.omnihub.crm;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The part of the identity graph a batch holds locked, in memory: who owns each identifier and the
 * profiles involved. Authoritative for the batch's transaction once the locks are held; linking
 * decisions read it, applying changes it. No JDBC.
 */
final class IdentityGraph {

    /** Oldest profile first (earliest creation, then id): the survivor of a merge. */
    static final Comparator<ProfileState> OLDEST_FIRST = Comparator.comparing((ProfileState x) -> x.createdAt).thenComparing(x -> x.id);

    private final Map<IdKey, UUID> owner = new HashMap<>();
    private final Map<UUID, ProfileState> profiles = new HashMap<>();

    /** The profile owning {@code key}, or null when nobody does. */
    UUID owner(IdKey key) {
        return owner.get(key);
    }

    /** A profile the batch holds, or null. */
    ProfileState profile(UUID id) {
        return profiles.get(id);
    }

    boolean holds(UUID id) {
        return profiles.containsKey(id);
    }

    Collection<ProfileState> profiles() {
        return profiles.values();
    }

    Set<UUID> profileIds() {
        return profiles.keySet();
    }

    void add(ProfileState p) {
        profiles.put(p.id, p);
    }

    /** Records that {@code profile} owns {@code key} (and adds it to the profile's identifiers when held). */
    void own(IdKey key, UUID profile) {
        owner.put(key, profile);
        ProfileState p = profiles.get(profile);
        if (p != null) {
            p.ids.add(key);
        }
    }

    /** The distinct owners of {@code keys}, in the keys' order; unowned keys are skipped. */
    Set<UUID> owners(Collection<IdKey> keys) {
        Set<UUID> out = new LinkedHashSet<>();
        for (IdKey k : keys) {
            UUID o = owner.get(k);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /** Forgets who owns what (the profiles stay, with no identifiers), before reading the owners again. */
    void clearOwners() {
        owner.clear();
        profiles.values().forEach(p -> p.ids.clear());
    }

    void clear() {
        owner.clear();
        profiles.clear();
    }
}
