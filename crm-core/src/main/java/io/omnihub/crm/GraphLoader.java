package io.omnihub.crm;

import io.omnihub.connector.event.Evidence;
import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Locks and reads the part of the identity graph a batch needs into an {@link IdentityGraph}: the
 * identifiers' advisory locks, the owning profiles' rows ({@code FOR UPDATE}, in id order) and every
 * identifier those profiles own.
 */
final class GraphLoader {

    private static final String CUSTOMER_COLUMNS = "select c.id, c.created_at, c.status, c.attributes::text, c.consent::text, "
            + "array(select b.other_id from crm_merge_block b where b.customer_id = c.id) from crm_customer c ";

    private final Connection c;

    GraphLoader(Connection c) {
        this.c = c;
    }

    /** Takes the transaction-scoped advisory locks of {@code keys}, in sorted order, in one round trip. */
    void lockIdentities(Collection<IdKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        Long[] lockKeys = keys.stream().map(IdKey::lockKey).distinct().sorted().toArray(Long[]::new);
        try (PreparedStatement ps = c.prepareStatement("select crm_lock_keys(?)")) {
            ps.setArray(1, c.createArrayOf("int8", lockKeys));
            ps.execute();
        }
    }

    /** The events of {@code eventIds} applied before, with the profile each was applied to. */
    Map<String, UUID> processed(List<String> eventIds) throws SQLException {
        Map<String, UUID> out = new HashMap<>();
        if (eventIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select event_id, customer_id from crm_processed_event where event_id = any(?)")) {
            ps.setArray(1, SqlValues.texts(c, eventIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getObject(2, UUID.class));
                }
            }
        }
        return out;
    }

    /**
     * Locks the profiles owning {@code keys} and reads their identities into {@code graph} (which it
     * clears first), until every owner is locked: a concurrent merge may move an identity between our
     * read and our lock, so we read again after locking and lock what we missed.
     */
    void load(IdentityGraph graph, Collection<IdKey> keys) throws SQLException {
        graph.clear();
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(CUSTOMER_COLUMNS
                + "where c.id in (select i.customer_id from crm_identity i "
                + "join unnest(?::text[], ?::text[], ?::text[]) as k(t, n, v) on i.type = k.t and i.namespace = k.n and i.value = k.v) "
                + "order by c.id for update of c")) {
            IdKey.bindArrays(c, ps, 1, keys);
            readProfiles(graph, ps);
        }
        for (int round = 0; ; round++) {
            readIdentities(graph, keys);
            Set<UUID> missing = new TreeSet<>();
            for (IdKey k : keys) {
                UUID o = graph.owner(k);
                if (o != null && (!graph.holds(o) || !graph.profile(o).active)) {
                    missing.add(o);
                }
            }
            if (missing.isEmpty()) {
                readSharedAndSightings(graph, keys);
                return;
            }
            if (round >= 20) {
                throw new SQLException("identity graph kept changing while locking", "40001");
            }
            lockProfiles(graph, missing);
        }
    }

    /** Locks the rows of {@code ids} (in id order) and adds the profiles to {@code graph}. */
    void lockProfiles(IdentityGraph graph, Set<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CUSTOMER_COLUMNS + "where c.id = any(?) order by c.id for update of c")) {
            ps.setArray(1, SqlValues.uuids(c, ids));
            readProfiles(graph, ps);
        }
    }

    private static void readProfiles(IdentityGraph graph, PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                ProfileState p = new ProfileState(id, rs.getObject(2, OffsetDateTime.class).toInstant(), "active".equals(rs.getString(3)),
                        Json.object(rs.getString(4)), Json.object(rs.getString(5)));
                java.sql.Array blocks = rs.getArray(6);
                if (blocks != null) {
                    for (Object o : (Object[]) blocks.getArray()) {
                        p.blockedWith.add((UUID) o);
                    }
                }
                graph.add(p);
            }
        }
    }

    /**
     * Reads which of {@code keys} are shared identifiers (detected or confirmed, not overruled), and
     * what the profiles in {@code graph} saw on weak evidence while another profile held it: one round trip.
     */
    private void readSharedAndSightings(IdentityGraph graph, Collection<IdKey> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select null::uuid, s.type, s.namespace, s.value, 0, null from crm_shared_identifier s
                  join unnest(?::text[], ?::text[], ?::text[]) as k(t, n, v) on s.type = k.t and s.namespace = k.n and s.value = k.v
                 where s.status <> 'overruled'
                union all
                select u.customer_id, u.type, u.namespace, u.value, u.observations, u.last_order from crm_identity_unlinked u
                 where u.customer_id = any(?) and u.reason = ?
                """)) {
            IdKey.bindArrays(c, ps, 1, keys);
            ps.setArray(4, SqlValues.uuids(c, graph.profileIds()));
            ps.setString(5, Unlinked.WEAK_HELD);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    IdKey k = new IdKey(rs.getString(2), rs.getString(3), rs.getString(4));
                    UUID profile = rs.getObject(1, UUID.class);
                    if (profile == null) {
                        graph.markShared(k);
                    } else {
                        graph.sighting(profile, k, new IdentityGraph.Sighting(rs.getInt(5), rs.getString(6)));
                    }
                }
            }
        }
    }

    /** An evidence grade as stored (lowercase); null stays null. */
    static Evidence evidence(String stored) {
        return stored == null ? null : Evidence.valueOf(stored.toUpperCase(java.util.Locale.ROOT));
    }

    /** Reads the owners of {@code keys} and every identity of the profiles in {@code graph}. */
    void readIdentities(IdentityGraph graph, Collection<IdKey> keys) throws SQLException {
        graph.clearOwners();
        try (PreparedStatement ps = c.prepareStatement(
                "select i.type, i.namespace, i.value, i.customer_id, i.evidence, i.weak_orders, i.last_order from crm_identity i "
                        + "where i.customer_id = any(?) "
                        + "union select i.type, i.namespace, i.value, i.customer_id, i.evidence, i.weak_orders, i.last_order from crm_identity i "
                        + "join unnest(?::text[], ?::text[], ?::text[]) as k(t, n, v) on i.type = k.t and i.namespace = k.n and i.value = k.v")) {
            ps.setArray(1, SqlValues.uuids(c, graph.profileIds()));
            IdKey.bindArrays(c, ps, 2, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    IdKey k = new IdKey(rs.getString(1), rs.getString(2), rs.getString(3));
                    UUID owner = rs.getObject(4, UUID.class);
                    graph.own(k, owner, evidence(rs.getString(5)));
                    if (rs.getInt(6) > 0 && graph.holds(owner)) {
                        graph.profile(owner).weakOrders.put(k, new IdentityGraph.Sighting(rs.getInt(6), rs.getString(7)));
                    }
                }
            }
        }
    }
}
