package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * The suppression list: keyed hashes of erased customers' identifiers. Read in every apply
 * transaction (no copy is kept in memory, so a suppression written or lifted on one node holds on
 * every node from the next batch on), listed without values, lifted by id or by presenting the value.
 */
final class Suppressions {

    private static final String VIEW_COLUMNS = "select id, type, namespace, created_at, erasure_id, hits, last_hit_at, lifted_at, lifted_by, "
            + "lift_reason from crm_suppression ";

    private final Transactions tx;
    private final Clock clock;
    private volatile IdentifierHasher hasher;

    Suppressions(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * The installation's hasher, read (or made) once in a transaction of its own: a key made inside
     * an apply transaction that rolls back must not be kept.
     */
    IdentifierHasher hasher() {
        IdentifierHasher h = hasher;
        if (h == null) {
            h = tx.retrying(IdentifierHasher::load);
            hasher = h;
        }
        return h;
    }

    /**
     * Marks the events of {@code checked} that carry a suppressed identifier ({@link CheckedEvent#suppressedBy})
     * and counts a hit on each suppression they carry. Runs in the apply transaction.
     *
     * @return how many events are suppressed
     */
    int check(Connection c, List<CheckedEvent> checked, Instant now) throws SQLException {
        IdentifierHasher h = hasher();
        Map<String, List<CheckedEvent>> byHash = new HashMap<>();
        for (CheckedEvent p : checked) {
            if (p.ev == null) {
                continue;
            }
            for (IdKey k : new LinkedHashSet<>(p.allKeys())) {
                byHash.computeIfAbsent(HexFormat.of().formatHex(h.hash(k)), x -> new ArrayList<>()).add(p);
            }
        }
        if (byHash.isEmpty()) {
            return 0;
        }
        Map<UUID, Integer> hits = new HashMap<>();
        Map<CheckedEvent, List<UUID>> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, encode(hash, 'hex') from crm_suppression "
                + "where lifted_at is null and hash = any(select decode(h, 'hex') from unnest(?::text[]) as h)")) {
            ps.setArray(1, SqlValues.texts(c, byHash.keySet()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    for (CheckedEvent p : byHash.get(rs.getString(2))) {
                        found.computeIfAbsent(p, x -> new ArrayList<>()).add(id);
                        hits.merge(id, 1, Integer::sum);
                    }
                }
            }
        }
        if (hits.isEmpty()) {
            return 0;
        }
        found.forEach((p, ids) -> p.suppressedBy = List.copyOf(ids));
        try (PreparedStatement ps = c.prepareStatement("update crm_suppression set hits = hits + ?, last_hit_at = ? where id = ?")) {
            for (Map.Entry<UUID, Integer> e : new java.util.TreeMap<>(hits).entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setObject(2, SqlValues.utc(now));
                ps.setObject(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return found.size();
    }

    /** Whether any of {@code keys} is suppressed now. */
    boolean any(Collection<IdKey> keys) {
        IdentifierHasher h = hasher();
        List<String> hashes = keys.stream().map(k -> HexFormat.of().formatHex(h.hash(k))).toList();
        return tx.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from crm_suppression where lifted_at is null "
                    + "and hash = any(select decode(x, 'hex') from unnest(?::text[]) as x))")) {
                ps.setArray(1, SqlValues.texts(c, hashes));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    /** Suppresses {@code keys} for an erasure (a key suppressed already stays as it is); returns how many were added. */
    int add(Connection c, UUID erasureId, Collection<IdKey> keys, Instant now) throws SQLException {
        IdentifierHasher h = hasher();
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement("insert into crm_suppression (id, hash, type, namespace, erasure_id, created_at) "
                + "values (?, ?, ?, ?, ?, ?) on conflict (hash) where lifted_at is null do nothing")) {
            for (IdKey k : new java.util.TreeSet<>(keys)) {
                ps.setObject(1, Uuids.v7(now));
                ps.setBytes(2, h.hash(k));
                ps.setString(3, k.type());
                ps.setString(4, k.namespace());
                ps.setObject(5, erasureId);
                ps.setObject(6, SqlValues.utc(now));
                added += ps.executeUpdate();
            }
        }
        return added;
    }

    /** Suppressions, newest first; lifted ones too when {@code includeLifted}. */
    List<SuppressionView> list(boolean includeLifted, int limit) {
        return tx.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(VIEW_COLUMNS + (includeLifted ? "" : "where lifted_at is null ")
                    + "order by created_at desc, id desc limit ?")) {
                ps.setInt(1, limit);
                return views(ps);
            }
        });
    }

    /**
     * Lifts a suppression: events carrying its identifier apply again from the next batch on, on every node.
     *
     * @throws NoSuchElementException when there is no such suppression
     * @throws IllegalStateException  when it was lifted already
     */
    SuppressionView lift(String id, String by, String reason) {
        UUID uuid = Uuids.parse(id).orElseThrow(() -> new NoSuchElementException("no suppression " + id));
        return tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement(VIEW_COLUMNS + "where id = ? for update")) {
                ps.setObject(1, uuid);
                SuppressionView found = views(ps).stream().findFirst().orElseThrow(() -> new NoSuchElementException("no suppression " + id));
                if (found.liftedAt() != null) {
                    throw new IllegalStateException("suppression " + id + " was lifted already, at " + found.liftedAt());
                }
            }
            return liftRow(c, uuid, by, reason);
        });
    }

    /**
     * Lifts the suppression of one identifier, given by value (operators never see the values): the
     * hash is computed again and the matching suppression lifted.
     *
     * @return the lifted suppression, empty when the identifier is not suppressed
     */
    Optional<SuppressionView> liftByValue(IdKey k, String by, String reason) {
        return tx.retrying(c -> {
            UUID id;
            try (PreparedStatement ps = c.prepareStatement("select id from crm_suppression where hash = ? and lifted_at is null for update")) {
                ps.setBytes(1, hasher().hash(k));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    id = rs.getObject(1, UUID.class);
                }
            }
            return Optional.of(liftRow(c, id, by, reason));
        });
    }

    private SuppressionView liftRow(Connection c, UUID id, String by, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update crm_suppression set lifted_at = ?, lifted_by = ?, lift_reason = ? where id = ?")) {
            ps.setObject(1, SqlValues.utc(clock.instant()));
            ps.setString(2, by);
            ps.setString(3, reason);
            ps.setObject(4, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(VIEW_COLUMNS + "where id = ?")) {
            ps.setObject(1, id);
            return views(ps).get(0);
        }
    }

    private static List<SuppressionView> views(PreparedStatement ps) throws SQLException {
        List<SuppressionView> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                UUID erasure = rs.getObject(5, UUID.class);
                out.add(new SuppressionView(rs.getString(1), rs.getString(2), rs.getString(3), SqlValues.instant(rs, 4),
                        erasure == null ? null : erasure.toString(), rs.getLong(6), SqlValues.instant(rs, 7), SqlValues.instant(rs, 8),
                        rs.getString(9), rs.getString(10)));
            }
        }
        return out;
    }
}
