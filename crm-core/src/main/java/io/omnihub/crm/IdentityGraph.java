package io.omnihub.crm;

import io.omnihub.connector.event.Evidence;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
    private final Set<IdKey> shared = new HashSet<>();
    private final Map<Sighting.Key, Sighting> sightings = new HashMap<>();

    /**
     * How often a profile saw an identifier on weak evidence while another profile held it: the
     * number of distinct orders (an event without an order counts once, when first seen).
     */
    record Sighting(int observations, String lastOrder) {
        record Key(UUID profile, IdKey key) {
        }

        /** This sighting after one more event (of order {@code orderId}, null when none). */
        Sighting seenAgain(String orderId) {
            boolean newOrder = orderId != null && !orderId.equals(lastOrder);
            return new Sighting(observations + (newOrder ? 1 : 0), orderId != null ? orderId : lastOrder);
        }
    }

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
        UUID before = owner.put(key, profile);
        ProfileState p = profiles.get(profile);
        if (before != null && !before.equals(profile) && profiles.containsKey(before)) {
            ProfileState old = profiles.get(before);
            old.ids.remove(key);
            Evidence e = old.held.remove(key);
            old.weakOrders.remove(key);
            if (p != null && e != null && !p.held.containsKey(key)) {
                p.held.put(key, e);
            }
        }
        if (p != null) {
            p.ids.add(key);
        }
    }

    /** Records that {@code profile} owns {@code key} by {@code evidence} (null: unspecified, strong). */
    void own(IdKey key, UUID profile, Evidence evidence) {
        own(key, profile);
        ProfileState p = profiles.get(profile);
        if (p != null) {
            if (evidence == null) {
                p.held.remove(key);
            } else {
                p.held.put(key, evidence);
            }
        }
    }

    /** The evidence by which the owner holds {@code key}; null when unspecified or unowned. */
    Evidence heldBy(IdKey key) {
        UUID o = owner.get(key);
        ProfileState p = o == null ? null : profiles.get(o);
        return p == null ? null : p.held.get(key);
    }

    /** Forgets that anyone owns {@code key}. */
    void disown(IdKey key) {
        UUID o = owner.remove(key);
        ProfileState p = o == null ? null : profiles.get(o);
        if (p != null) {
            p.ids.remove(key);
            p.held.remove(key);
            p.weakOrders.remove(key);
        }
    }

    /** Whether {@code key} was found to be shared by several people (and no operator overruled it). */
    boolean isShared(IdKey key) {
        return shared.contains(key);
    }

    void markShared(IdKey key) {
        shared.add(key);
    }

    /** The shared identifiers among the batch's. */
    Set<IdKey> shared() {
        return Set.copyOf(shared);
    }

    /** What {@code profile} saw of {@code key} on weak evidence while another profile held it; null when nothing. */
    Sighting sighting(UUID profile, IdKey key) {
        return sightings.get(new Sighting.Key(profile, key));
    }

    /**
     * Whether {@code key}, seen on {@code orders} distinct orders with {@code profile} on weak
     * evidence, is that profile's own beyond doubt: it holds no other value of the type on strong
     * evidence, and every other value of the type it holds or saw on weak evidence came with fewer
     * orders (a buyer who sends most parcels to one phone and one to a friend's).
     */
    boolean dominant(UUID profile, IdKey key, int orders) {
        ProfileState p = profiles.get(profile);
        for (IdKey k : p.ids) {
            if (k.type().equals(key.type()) && !k.equals(key) && (!p.holdsWeakly(k) || p.weakOrders(k) >= orders)) {
                return false;
            }
        }
        for (Map.Entry<Sighting.Key, Sighting> e : sightings.entrySet()) {
            Sighting.Key k = e.getKey();
            if (k.profile().equals(profile) && k.key().type().equals(key.type()) && !k.key().equals(key)
                    && e.getValue().observations() >= orders) {
                return false;
            }
        }
        return true;
    }

    void sighting(UUID profile, IdKey key, Sighting s) {
        sightings.put(new Sighting.Key(profile, key), s);
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
        profiles.values().forEach(p -> {
            p.ids.clear();
            p.held.clear();
            p.weakOrders.clear();
        });
    }

    void clear() {
        owner.clear();
        profiles.clear();
        shared.clear();
        sightings.clear();
    }
}
