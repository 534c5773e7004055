package io.omnihub.crm.automation;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The counters of windowed traits ({@code crm_trait_count}): what applied events add, in the
 * transaction that applies them, and the value of each trait in its window. A customer's counters are
 * at most one row per bucket of each trait's window, so reading a value never scans the timeline.
 */
final class TraitCounters {

    /** One counter row. */
    record Bucket(UUID customer, String trait, Instant bucket) {
        static final Comparator<Bucket> ORDER = Comparator.comparing(Bucket::customer).thenComparing(Bucket::trait)
                .thenComparing(Bucket::bucket);
    }

    private TraitCounters() {
    }

    /**
     * What {@code event} of {@code customer} adds to each trait, into {@code into}; events older than
     * a trait's window add nothing to it.
     */
    static void add(Collection<TraitDefinition> traits, CustomerEvent event, UUID customer, Instant now, Map<Bucket, Long> into) {
        Map<String, Object> cel = null;
        Instant at = event.time().toInstant();
        for (TraitDefinition t : traits) {
            if (!t.listensTo(event.type())) {
                continue;
            }
            Instant bucket = t.bucket(at, now);
            if (bucket.isBefore(t.since(now))) {
                continue;
            }
            if (cel == null) {
                cel = CelValues.event(event);
            }
            long amount = t.amount(cel);
            if (amount != 0) {
                into.merge(new Bucket(customer, t.id(), bucket), amount, Long::sum);
            }
        }
    }

    /**
     * Counts the applied {@code events} ({@code customers.get(i)} is the surviving profile of event
     * {@code i}), in one batch; customers marked for a recount (an unmerge took events from them) are
     * recounted from their timeline instead, which holds these events already. Prunes the customers'
     * buckets that left the window.
     */
    static void count(Connection c, Collection<TraitDefinition> traits, List<CustomerEvent> events, List<UUID> customers, Instant now)
            throws SQLException {
        if (traits.isEmpty() || events.isEmpty()) {
            return;
        }
        java.util.Set<UUID> recount = TraitRecount.takeMarked(c, customers);
        Map<Bucket, Long> added = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (!recount.contains(customers.get(i))) {
                add(traits, events.get(i), customers.get(i), now, added);
            }
        }
        write(c, added, true);
        if (!recount.isEmpty()) {
            TraitRecount.recount(c, recount, traits, now);
        }
        prune(c, customers, traits, now);
    }

    /** Writes counters: added to what is stored ({@code add}), or in place of it. */
    static void write(Connection c, Map<Bucket, Long> rows, boolean add) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<Bucket> keys = new ArrayList<>(rows.keySet());
        keys.sort(Bucket.ORDER); // one lock order for every writer
        try (PreparedStatement ps = c.prepareStatement("insert into crm_trait_count (customer_id, trait, bucket, value) values (?, ?, ?, ?) "
                + "on conflict (customer_id, trait, bucket) do update set value = "
                + (add ? "crm_trait_count.value + excluded.value" : "excluded.value"))) {
            for (Bucket b : keys) {
                ps.setObject(1, b.customer());
                ps.setString(2, b.trait());
                ps.setObject(3, SqlValues.utc(b.bucket()));
                ps.setLong(4, rows.get(b));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Deletes the {@code customers}' buckets that are older than their trait's window. */
    static void prune(Connection c, Collection<UUID> customers, Collection<TraitDefinition> traits, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                delete from crm_trait_count t using unnest(?::text[], ?::timestamptz[]) w(trait, since)
                 where t.customer_id = any(?) and t.trait = w.trait and t.bucket < w.since
                """)) {
            window(c, ps, traits, now);
            ps.setArray(3, SqlValues.uuids(c, new java.util.TreeSet<>(customers)));
            ps.executeUpdate();
        }
    }

    /**
     * The value of every trait in force for each of {@code customers} at {@code now} (0 without
     * events in the window).
     */
    static Map<UUID, Map<String, Long>> values(Connection c, Collection<UUID> customers, Collection<TraitDefinition> traits, Instant now)
            throws SQLException {
        Map<UUID, Map<String, Long>> out = new LinkedHashMap<>();
        if (traits.isEmpty() || customers.isEmpty()) {
            return out;
        }
        for (UUID id : customers) {
            Map<String, Long> zero = new TreeMap<>();
            traits.forEach(t -> zero.put(t.id(), 0L));
            out.put(id, zero);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select t.customer_id, t.trait, sum(t.value)
                  from crm_trait_count t join unnest(?::text[], ?::timestamptz[]) w(trait, since) on t.trait = w.trait and t.bucket >= w.since
                 where t.customer_id = any(?)
                 group by t.customer_id, t.trait
                """)) {
            window(c, ps, traits, now);
            ps.setArray(3, SqlValues.uuids(c, customers));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Long> of = out.get(rs.getObject(1, UUID.class));
                    if (of != null) {
                        of.put(rs.getString(2), rs.getLong(3));
                    }
                }
            }
        }
        return out;
    }

    /** Puts the trait values into the customers' facts ({@code customer.traits}). */
    static void fill(Connection c, Map<UUID, CustomerFacts> facts, Collection<TraitDefinition> traits, Instant now) throws SQLException {
        if (traits.isEmpty() || facts.isEmpty()) {
            return;
        }
        values(c, facts.keySet(), traits, now).forEach((id, values) -> {
            CustomerFacts f = facts.get(id);
            f.traits.putAll(values);
            f.changed();
        });
    }

    /** Binds the traits' ids and window starts to parameters 1 and 2. */
    private static void window(Connection c, PreparedStatement ps, Collection<TraitDefinition> traits, Instant now) throws SQLException {
        List<String> ids = new ArrayList<>();
        List<java.time.OffsetDateTime> since = new ArrayList<>();
        for (TraitDefinition t : traits) {
            ids.add(t.id());
            since.add(SqlValues.utc(t.since(now)));
        }
        ps.setArray(1, SqlValues.texts(c, ids));
        ps.setArray(2, c.createArrayOf("timestamptz", since.toArray()));
    }
}
