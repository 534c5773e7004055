package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlStates;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Erases a customer in one transaction: the surviving profile and every profile merged into it, with
 * everything the core holds about them, puts keyed hashes of their identifiers on the suppression
 * list and writes the erasure record. Holds the locks the apply path takes (the identifiers'
 * advisory locks, then the profile rows in id order), so an event of the customer applied meanwhile
 * either commits before the erasure (and is erased with the rest) or waits and finds it suppressed.
 */
final class CustomerEraser {

    /** Tables of the core erased by profile id; their counts are reported under these kinds. */
    private static final Map<String, String> BY_CUSTOMER = new LinkedHashMap<>();

    static {
        BY_CUSTOMER.put("timeline", "delete from crm_timeline where customer_id = any(?)");
        // order lines hang off their order (source, order id), not the customer: they go first
        BY_CUSTOMER.put("orderLines", "delete from crm_order_line l using crm_order o "
                + "where o.customer_id = any(?) and l.source = o.source and l.order_id = o.order_id");
        BY_CUSTOMER.put("orders", "delete from crm_order where customer_id = any(?)");
        BY_CUSTOMER.put("consentStatements", "delete from crm_consent_statement where customer_id = any(?)");
        BY_CUSTOMER.put("tags", "delete from crm_tag where customer_id = any(?)");
        BY_CUSTOMER.put("scores", "delete from crm_score where customer_id = any(?)");
        BY_CUSTOMER.put("segmentMemberships", "delete from crm_segment_member where customer_id = any(?)");
        BY_CUSTOMER.put("traitCounts", "delete from crm_trait_count where customer_id = any(?)");
        BY_CUSTOMER.put("timers", "delete from crm_timer where (enrollment_id in (select id from crm_enrollment "
                + "where customer_id = any(?1)) or task_id in (select id from crm_task where customer_id = any(?1)))");
        BY_CUSTOMER.put("enrollments", "delete from crm_enrollment where customer_id = any(?)");
        BY_CUSTOMER.put("actions", "delete from crm_action where customer_id = any(?)");
        // A task is staff work and stays (who did what, when); what it said about the customer goes.
        BY_CUSTOMER.put("tasks", "update crm_task set title = 'customer erased', note = null, completion_note = null, lead_source = null, "
                + "action_id = 'erased:' || id, status = 'done', completed_at = coalesce(completed_at, ?2), "
                + "completed_by = coalesce(completed_by, 'erasure') where customer_id = any(?1)");
        BY_CUSTOMER.put("processedEvents", "delete from crm_processed_event where customer_id = any(?)");
        BY_CUSTOMER.put("merges", "delete from crm_merge_audit where surviving_id = any(?1) or merged_id = any(?1)");
        BY_CUSTOMER.put("mergeBlocks", "delete from crm_merge_block where customer_id = any(?1) or other_id = any(?1)");
        BY_CUSTOMER.put("aliases", "delete from crm_customer_alias where merged_id = any(?1) or surviving_id = any(?1)");
        BY_CUSTOMER.put("unlinkedIdentities", "delete from crm_identity_unlinked where customer_id = any(?)");
        BY_CUSTOMER.put("identities", "delete from crm_identity where customer_id = any(?)");
    }

    /** Tables this class knows, and tables that are no customer's data: the sweep for other customer_id tables leaves them. */
    private static final Set<String> KNOWN = Set.of("crm_timeline", "crm_order", "crm_order_line", "crm_consent_statement", "crm_tag", "crm_score", "crm_segment_member", "crm_trait_count", "crm_timer",
            "crm_enrollment", "crm_action", "crm_task", "crm_processed_event", "crm_merge_audit", "crm_merge_block", "crm_customer_alias",
            "crm_identity_unlinked", "crm_identity", "crm_customer", "crm_erasure");

    /** The tables this class names: erased by its own statements, or no customer's data. */
    static Set<String> tables() {
        return KNOWN;
    }

    private final Suppressions suppressions;

    CustomerEraser(Suppressions suppressions) {
        this.suppressions = suppressions;
    }

    ErasureOutcome erase(Connection c, UUID requested, String by, String reason, Instant now) throws SQLException {
        UUID surviving = ProfileAliases.resolve(c, requested).orElseThrow(() -> new NoSuchElementException("no customer " + requested));
        List<UUID> profiles = profiles(c, surviving);
        Set<IdKey> owned = owned(c, profiles);
        new GraphLoader(c).lockIdentities(owned);
        lockRows(c, profiles);
        // Locked now: if a merge or an event moved things between the first reads and the locks, start over.
        if (!surviving.equals(ProfileAliases.resolve(c, requested).orElse(null)) || !profiles.equals(profiles(c, surviving))
                || !owned.equals(owned(c, profiles)) || !active(c, surviving)) {
            throw new SQLException("the customer changed while being locked for erasure", "40001");
        }
        Set<IdKey> unlinked = unlinked(c, profiles, null);
        Set<IdKey> all = new TreeSet<>(owned);
        all.addAll(unlinked);
        Set<IdKey> suppress = new TreeSet<>(owned);
        suppress.addAll(unlinked(c, profiles, Unlinked.CONSENT));
        suppress.removeAll(sharedOrOwnedElsewhere(c, suppress, profiles));

        Map<String, Long> counts = new TreeMap<>();
        Array ids = SqlValues.uuids(c, profiles);
        // The person's own identifiers leave the shared-identifier list and its peer records. An
        // identifier shared by several people (a store's phone) stays listed: it is theirs as much,
        // and forgetting it would let it glue people together again.
        counts.put("sharedIdentifiers", deleteByKey(c, "crm_shared_identifier", "type", "namespace", "value", owned));
        counts.put("identifierPeers", deleteByKey(c, "crm_identifier_peer", "type", "namespace", "value", owned)
                + deleteByKey(c, "crm_identifier_peer", "peer_type", "peer_namespace", "peer_value", owned));
        for (Map.Entry<String, String> e : BY_CUSTOMER.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement(e.getValue().replace("?1", "?").replace("?2", "?"))) {
                bind(ps, e.getValue(), ids, now);
                counts.put(e.getKey(), (long) ps.executeUpdate());
            }
        }
        counts.putAll(sweepOtherTables(c, ids));
        try (PreparedStatement ps = c.prepareStatement("delete from crm_customer where id = any(?)")) {
            ps.setArray(1, ids);
            counts.put("profiles", (long) ps.executeUpdate());
        }

        UUID erasureId = Uuids.v7(now);
        try (PreparedStatement ps = c.prepareStatement("insert into crm_erasure (id, customer_id, profiles, erased_by, reason, erased_at, counts) "
                + "values (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setObject(1, erasureId);
            ps.setObject(2, requested);
            ps.setArray(3, ids);
            ps.setString(4, by);
            ps.setString(5, reason);
            ps.setObject(6, SqlValues.utc(now));
            ps.setString(7, "{}");
            ps.executeUpdate();
        }
        counts.put("suppressed", (long) suppressions.add(c, erasureId, suppress, now));
        Erasures.setCounts(c, erasureId, counts);
        ErasureRecord record = new ErasureRecord(erasureId.toString(), requested.toString(), profiles.stream().map(UUID::toString).toList(),
                by, reason, now, counts);
        return new ErasureOutcome(record, all.stream().map(IdKey::toIdentity).toList());
    }

    /** Binds the profile ids at every {@code ?1} (or the single {@code ?}) and {@code now} at {@code ?2}. */
    private static void bind(PreparedStatement ps, String sql, Array ids, Instant now) throws SQLException {
        int n = 0;
        for (int i = 0; i < sql.length() - 1; i++) {
            if (sql.charAt(i) == '?') {
                n++;
                if (sql.charAt(i + 1) == '2') {
                    ps.setObject(n, SqlValues.utc(now));
                } else {
                    ps.setArray(n, ids);
                }
            }
        }
    }

    /** The surviving profile first, then every profile merged into it. */
    private static List<UUID> profiles(Connection c, UUID surviving) throws SQLException {
        List<UUID> out = new ArrayList<>();
        out.add(surviving);
        out.addAll(ProfileAliases.mergedInto(c, surviving));
        return out;
    }

    private static void lockRows(Connection c, List<UUID> profiles) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from crm_customer where id = any(?) order by id for update")) {
            ps.setArray(1, SqlValues.uuids(c, profiles));
            ps.executeQuery().close();
        }
    }

    private static boolean active(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status from crm_customer where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "active".equals(rs.getString(1));
            }
        }
    }

    private static Set<IdKey> owned(Connection c, List<UUID> profiles) throws SQLException {
        return keys(c, "select type, namespace, value from crm_identity where customer_id = any(?)", profiles, null);
    }

    /** Identifiers kept unlinked on the profiles; only those for {@code reason} when it is given. */
    private static Set<IdKey> unlinked(Connection c, List<UUID> profiles, String reason) throws SQLException {
        return keys(c, "select type, namespace, value from crm_identity_unlinked where customer_id = any(?)"
                + (reason == null ? "" : " and reason = ?"), profiles, reason);
    }

    private static Set<IdKey> keys(Connection c, String sql, List<UUID> profiles, String reason) throws SQLException {
        Set<IdKey> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, SqlValues.uuids(c, profiles));
            if (reason != null) {
                ps.setString(2, reason);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IdKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * Of {@code keys}, those that must not be suppressed because they are not this person's alone: found
     * shared by several people (unless an operator overruled that), or held by a profile not erased.
     */
    private static Set<IdKey> sharedOrOwnedElsewhere(Connection c, Collection<IdKey> keys, List<UUID> profiles) throws SQLException {
        Set<IdKey> out = new HashSet<>();
        if (keys.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select s.type, s.namespace, s.value from crm_shared_identifier s
                  join unnest(?::text[], ?::text[], ?::text[]) as k(t, n, v) on s.type = k.t and s.namespace = k.n and s.value = k.v
                 where s.status <> 'overruled'
                union
                select i.type, i.namespace, i.value from crm_identity i
                  join unnest(?::text[], ?::text[], ?::text[]) as k(t, n, v) on i.type = k.t and i.namespace = k.n and i.value = k.v
                 where i.customer_id <> all(?)
                """)) {
            IdKey.bindArrays(c, ps, 1, keys);
            IdKey.bindArrays(c, ps, 4, keys);
            ps.setArray(7, SqlValues.uuids(c, profiles));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IdKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    private static long deleteByKey(Connection c, String table, String type, String namespace, String value, Collection<IdKey> keys)
            throws SQLException {
        if (keys.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("delete from " + table + " t using unnest(?::text[], ?::text[], ?::text[]) as k(t, n, v) "
                + "where t." + type + " = k.t and t." + namespace + " = k.n and t." + value + " = k.v")) {
            IdKey.bindArrays(c, ps, 1, keys);
            return ps.executeUpdate();
        }
    }

    /** The core's tables with a {@code customer_id uuid} column, by name; a partition counts as its table. */
    static List<String> customerIdTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select c.table_name from information_schema.columns c
                  join pg_class r on r.relname = c.table_name and r.relnamespace = current_schema()::regnamespace
                 where c.table_schema = current_schema() and c.column_name = 'customer_id' and c.data_type = 'uuid'
                   and c.table_name like 'crm\\_%' and not r.relispartition order by c.table_name
                """); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /**
     * Rows of the customer in core tables this class does not name (a table added by a later schema
     * version with a {@code customer_id uuid} column): deleted too, counted under the table's name,
     * so an erasure does not leave behind what a new feature keeps (a partition is erased through its
     * table, not on its own). Tables that reference one another are tried again until none is left or
     * none moves.
     */
    private static Map<String, Long> sweepOtherTables(Connection c, Array ids) throws SQLException {
        List<String> tables = new ArrayList<>(customerIdTables(c));
        tables.removeAll(KNOWN);
        Map<String, Long> counts = new TreeMap<>();
        for (int round = 0; !tables.isEmpty(); round++) {
            List<String> left = new ArrayList<>();
            SQLException last = null;
            for (String table : tables) {
                Savepoint sp = c.setSavepoint();
                try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where customer_id = any(?)")) {
                    ps.setArray(1, ids);
                    counts.put(table, (long) ps.executeUpdate());
                    c.releaseSavepoint(sp);
                } catch (SQLException e) {
                    c.rollback(sp);
                    if (!"23503".equals(SqlStates.state(e))) {
                        throw e;
                    }
                    left.add(table);
                    last = e;
                }
            }
            if (left.size() == tables.size()) {
                throw last;
            }
            tables = left;
        }
        return counts;
    }
}
