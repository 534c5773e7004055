package io.omnihub.crm.bench;

import io.omnihub.crm.bench.SyntheticCustomers.Kind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * Bulk-loads an identity graph of {@link SyntheticCustomers} into a migrated, empty CRM schema, with
 * {@code INSERT ... SELECT generate_series} (the rows are made inside PostgreSQL, nothing crosses the
 * wire): the profiles, their identifiers, and the history the apply path reads or writes next to
 * them, one event per identifier (processed event and timeline entry), one order per Tmall buyer id
 * and member card, and the peers of every phone. The tables' indexes and keys are dropped for the
 * load and rebuilt after it with the migrations' own definitions, then the tables are vacuumed and
 * analyzed, as a graph grown by years of events would be.
 */
final class IdentityGraphLoad {

    /** The tables loaded; their keys and indexes are rebuilt after the load. */
    static final List<String> TABLES = List.of("crm_customer", "crm_identity", "crm_identifier_peer", "crm_processed_event",
            "crm_timeline", "crm_order");

    /** What one load made, and how long it took. */
    record Loaded(long customers, long identifiers, double seconds) {
    }

    private IdentityGraphLoad() {
    }

    /** Loads the customers that make {@code identifiers} identifiers. */
    static Loaded load(DataSource ds, long identifiers) throws SQLException {
        long customers = SyntheticCustomers.customersFor(identifiers);
        long start = System.nanoTime();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("set maintenance_work_mem = '512MB'");
            s.execute("set synchronous_commit = off");
            Rebuild keys = Rebuild.dropFrom(s);
            s.execute("""
                    create function pg_temp.at(p bigint) returns timestamptz stable language sql
                      as $$ select timestamptz '2023-01-01 00:00:00+00' + p * interval '30 seconds' $$""");
            // Stable, not immutable: timestamptz arithmetic is stable, and only a function no stricter
            // than its body is inlined into the statements below (a call per row would be ten times slower).
            // A UUIDv7 of the customer's creation time, as the core makes them.
            s.execute("""
                    create function pg_temp.cid(p bigint) returns uuid stable language sql as $$
                      select (lpad(to_hex((extract(epoch from pg_temp.at(p)) * 1000)::bigint), 12, '0') || '7'
                              || substr(md5('c' || p), 1, 3) || '8' || substr(md5('c' || p), 4, 15))::uuid $$""");
            step(s, "customers", "insert into crm_customer (id, created_at, updated_at, status, attributes, consent) "
                    + "select pg_temp.cid(p), pg_temp.at(p), pg_temp.at(p), 'active', "
                    + "jsonb_build_object('city', jsonb_build_object('v', 'Shanghai', 'at', pg_temp.at(p), 'ev', 'signup:' || p)), "
                    + "jsonb_build_object('marketing', jsonb_build_object('v', p % 3 <> 0, 'at', pg_temp.at(p), 'ev', 'signup:' || p)) "
                    + "from generate_series(0, " + (customers - 1) + ") p");
            StringJoiner kinds = new StringJoiner(",\n");
            for (Kind k : Kind.values()) {
                kinds.add("('%s', '%s', %s, '%s', %d, %s)".formatted(k.type, k.namespace, k.sqlValue(), k.source, k.ordinal(), k.sqlHas()));
            }
            step(s, "identifiers", """
                    insert into crm_identity (type, namespace, value, customer_id, first_seen_at, last_seen_at, source, event_id, evidence,
                                              weak_orders, last_order)
                    select k.type, k.ns, k.value, pg_temp.cid(p), pg_temp.at(p) + k.ord * interval '1 day',
                           pg_temp.at(p) + k.ord * interval '1 day', k.source, k.source || ':' || md5(k.type || p), 'verified', 0, null
                      from generate_series(0, %d) p
                      cross join lateral (values %s) as k(type, ns, value, source, ord, has)
                     where k.has""".formatted(customers - 1, kinds));
            step(s, "processed events", "insert into crm_processed_event (event_id, customer_id, applied_at) select event_id, customer_id, first_seen_at "
                    + "from crm_identity");
            step(s, "timeline", """
                    insert into crm_timeline (customer_id, event_id, type, time, source, summary, recorded_at, identities)
                    select customer_id, event_id,
                           case source when 'tmall' then 'order.paid' when 'pos' then 'store.purchased' when 'erp' then 'profile.updated'
                                       else 'message.received' end,
                           first_seen_at, source, jsonb_build_object('channel', source), first_seen_at,
                           jsonb_build_array(jsonb_build_array(type, namespace, value, evidence))
                      from crm_identity""");
            step(s, "orders", """
                    insert into crm_order (source, order_id, customer_id, channel, state, state_rank, status, currency, total_minor,
                                           ordered_at, last_event_at, last_event_id, updated_at)
                    select source, 'O' || md5(event_id), customer_id, source, 'completed', 4, 'TRADE_FINISHED', 'CNY',
                           100 + abs(hashtext(value)) % 50000, first_seen_at, first_seen_at, event_id, first_seen_at
                      from crm_identity where type in ('tmall_ouid', 'member_card')""");
            step(s, "phone peers", """
                    insert into crm_identifier_peer (type, namespace, value, peer_type, peer_namespace, peer_value, first_seen_at)
                    select ph.type, ph.namespace, ph.value, o.type, o.namespace, o.value, greatest(ph.first_seen_at, o.first_seen_at)
                      from crm_identity ph join crm_identity o on o.customer_id = ph.customer_id and o.type <> ph.type
                     where ph.type = 'phone'""");
            long t = System.nanoTime();
            keys.restore(s);
            System.out.printf("identity-scale:   keys and indexes in %.0f s%n", (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            for (String table : TABLES) {
                // Frozen, as autovacuum leaves rows that are years old: otherwise the measurement's
                // first reads would record each fresh row's commit status and write its page back.
                s.execute("vacuum (freeze, analyze) " + table);
            }
            System.out.printf("identity-scale:   vacuum and analyze in %.0f s%n", (System.nanoTime() - t) / 1e9);
        }
        return new Loaded(customers, SyntheticCustomers.identifiersOf(customers), (System.nanoTime() - start) / 1e9);
    }

    private static void step(Statement s, String what, String sql) throws SQLException {
        long t = System.nanoTime();
        int rows = s.executeUpdate(sql);
        System.out.printf("identity-scale:   %,d %s in %.0f s%n", rows, what, (System.nanoTime() - t) / 1e9);
    }

    /** The keys, foreign keys and indexes of {@link #TABLES} as the migrations made them: dropped, then made again. */
    private record Rebuild(Map<String, String> constraints, Map<String, String> foreignKeys, List<String> indexes,
                           List<String[]> partitionIndexes) {

        static Rebuild dropFrom(Statement s) throws SQLException {
            String tables = "array[" + String.join(", ", TABLES.stream().map(t -> "'" + t + "'::regclass").toList()) + "]";
            Map<String, String> constraints = new LinkedHashMap<>();
            Map<String, String> foreignKeys = new LinkedHashMap<>();
            List<String> indexes = new ArrayList<>();
            List<String[]> partitionIndexes = new ArrayList<>();
            // Each partition's index as the migrations named it: its parent index, its partition, its name.
            try (ResultSet rs = s.executeQuery("select format('%s', p.inhparent::regclass), format('%s', i.indrelid::regclass), "
                    + "format('%s', i.indexrelid::regclass) from pg_inherits p join pg_index i on i.indexrelid = p.inhrelid "
                    + "where p.inhparent in (select indexrelid from pg_index where indrelid = any(" + tables + "))")) {
                while (rs.next()) {
                    partitionIndexes.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            try (ResultSet rs = s.executeQuery("select contype, format('%s', conrelid::regclass), quote_ident(conname), pg_get_constraintdef(oid) "
                    + "from pg_constraint where contype in ('p', 'u', 'f') and (conrelid = any(" + tables + ") or confrelid = any(" + tables + ")) "
                    + "order by contype desc, conname")) {
                while (rs.next()) {
                    String at = "alter table " + rs.getString(2) + " add constraint " + rs.getString(3) + " " + rs.getString(4);
                    String drop = "alter table " + rs.getString(2) + " drop constraint " + rs.getString(3);
                    (rs.getString(1).equals("f") ? foreignKeys : constraints).put(drop, at);
                }
            }
            try (ResultSet rs = s.executeQuery("select format('%s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid) from pg_index i "
                    + "where i.indrelid = any(" + tables + ") and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid) "
                    + "order by 1")) {
                while (rs.next()) {
                    // A partitioned table's index is defined ON ONLY the parent; made again, it is to cover every partition.
                    indexes.add(rs.getString(2).replace(" ON ONLY ", " ON "));
                }
            }
            for (String drop : foreignKeys.keySet()) {
                s.execute(drop);
            }
            for (String drop : constraints.keySet()) {
                s.execute(drop);
            }
            try (ResultSet rs = s.executeQuery("select string_agg(format('%s', i.indexrelid::regclass), ', ') from pg_index i "
                    + "where i.indrelid = any(" + tables + ")")) {
                rs.next();
                String names = rs.getString(1);
                if (names != null) {
                    s.execute("drop index " + names);
                }
            }
            return new Rebuild(constraints, foreignKeys, indexes, partitionIndexes);
        }

        void restore(Statement s) throws SQLException {
            for (String create : indexes) {
                s.execute(create);
            }
            for (String add : constraints.values()) {
                s.execute(add);
            }
            for (String add : foreignKeys.values()) {
                s.execute(add);
            }
            // Made again on the parent, each partition's index gets a name of PostgreSQL's choosing.
            for (String[] index : partitionIndexes) {
                String now;
                try (ResultSet rs = s.executeQuery("select format('%s', i.indexrelid::regclass) from pg_inherits p "
                        + "join pg_index i on i.indexrelid = p.inhrelid where p.inhparent = '" + index[0] + "'::regclass "
                        + "and i.indrelid = '" + index[1] + "'::regclass")) {
                    rs.next();
                    now = rs.getString(1);
                }
                if (!now.equals(index[2])) {
                    s.execute("alter index " + now + " rename to " + index[2]);
                }
            }
        }
    }
}
