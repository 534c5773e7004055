package io.omnihub.crm;

import io.omnihub.connector.event.Evidence;
import io.omnihub.crm.jdbc.SqlValues;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The writes a batch buffers, as typed rows, and sends as one JDBC batch per table. Rows with the
 * same key are folded into one as they are added, so no JDBC batch upserts a key twice: with
 * {@code reWriteBatchedInserts} the driver would send them as one multi-row
 * {@code INSERT ... ON CONFLICT DO UPDATE}, which PostgreSQL refuses.
 */
final class ProfileWrites {

    /** An identifier owned by a profile: first and last seen, the source and event that first stated it. */
    /** An identifier owned by a profile, by {@code evidence} (null: unspecified). */
    record IdentityRow(IdKey key, UUID customer, Instant firstSeen, Instant lastSeen, String source, String eventId, Evidence evidence,
                       int weakOrders, String lastOrder) {
        IdentityRow foldIn(IdentityRow later) {
            boolean earlier = later.firstSeen.isBefore(firstSeen);
            return new IdentityRow(key, later.customer, earlier ? later.firstSeen : firstSeen,
                    lastSeen.isBefore(later.lastSeen) ? later.lastSeen : lastSeen,
                    earlier ? later.source : source, earlier ? later.eventId : eventId, later.evidence, later.weakOrders, later.lastOrder);
        }
    }

    /** An identifier seen with a profile that does not match it, and why. */
    record UnlinkedRow(UUID customer, IdKey key, String reason, Instant firstSeen, Instant lastSeen, String source, String eventId,
                       Evidence evidence, int observations, String lastOrder) {
        UnlinkedRow foldIn(UnlinkedRow later) {
            return new UnlinkedRow(customer, key, later.reason, later.firstSeen.isBefore(firstSeen) ? later.firstSeen : firstSeen,
                    lastSeen.isBefore(later.lastSeen) ? later.lastSeen : lastSeen, source, eventId, later.evidence,
                    Math.max(observations, later.observations), later.lastOrder != null ? later.lastOrder : lastOrder);
        }

        private record Key(UUID customer, IdKey key) {
        }
    }

    /** One entry of a profile's timeline. */
    record TimelineRow(UUID customer, String eventId, String type, Instant time, String source, String summaryJson, String identitiesJson) {
    }

    /** A consent statement an event made, for the profile's consent history. */
    record ConsentRow(UUID customer, String key, JsonNode value, Instant at, String eventId, String eventType, String source) {
    }

    /** An order's state after one of its events; {@code rank} orders states that share a time. */
    record OrderRow(String source, String orderId, UUID customer, String channel, String state, int rank, String status,
                    String currency, long totalMinor, Instant orderedAt, Instant lastEventAt, String lastEventId) {
        OrderRow foldIn(OrderRow later) {
            boolean newer = !later.lastEventAt.isBefore(lastEventAt) && (lastEventAt.isBefore(later.lastEventAt) || later.rank >= rank);
            Instant placed = later.orderedAt.isBefore(orderedAt) ? later.orderedAt : orderedAt;
            OrderRow base = newer ? later : this;
            return new OrderRow(source, orderId, later.customer, channel, base.state, base.rank, base.status, base.currency,
                    base.totalMinor, placed, base.lastEventAt, base.lastEventId);
        }

        private record Key(String source, String orderId) {
        }
    }

    /**
     * The lines an order event carried, at the event's time: they replace the order's stored lines
     * unless those came with a later event.
     */
    record OrderLinesRow(String source, String orderId, Instant eventAt, List<io.omnihub.connector.event.Order.OrderLine> lines) {
        OrderLinesRow foldIn(OrderLinesRow later) {
            return later.eventAt.isBefore(eventAt) ? this : later;
        }
    }

    private final Connection c;
    private final Instant now;
    private final List<ProfileState> newProfiles = new ArrayList<>();
    private final Map<IdKey, IdentityRow> identities = new LinkedHashMap<>();
    private final Map<UnlinkedRow.Key, UnlinkedRow> unlinked = new LinkedHashMap<>();
    private final List<TimelineRow> timeline = new ArrayList<>();
    private final Map<OrderRow.Key, OrderRow> orders = new LinkedHashMap<>();
    private final Map<OrderRow.Key, OrderLinesRow> orderLines = new LinkedHashMap<>();
    private final Map<String, UUID> processed = new LinkedHashMap<>();
    private final List<ConsentRow> consents = new ArrayList<>();

    ProfileWrites(Connection c, Instant now) {
        this.c = c;
        this.now = now;
    }

    void newProfile(ProfileState p) {
        newProfiles.add(p);
    }

    void identity(IdentityRow row) {
        identities.merge(row.key(), row, IdentityRow::foldIn);
    }

    void unlinked(UnlinkedRow row) {
        unlinked.merge(new UnlinkedRow.Key(row.customer(), row.key()), row, UnlinkedRow::foldIn);
    }

    void timeline(TimelineRow row) {
        timeline.add(row);
    }

    void order(OrderRow row) {
        orders.merge(new OrderRow.Key(row.source(), row.orderId()), row, OrderRow::foldIn);
    }

    void orderLines(OrderLinesRow row) {
        orderLines.merge(new OrderRow.Key(row.source(), row.orderId()), row, OrderLinesRow::foldIn);
    }

    void consent(ConsentRow row) {
        consents.add(row);
    }

    void processed(String eventId, UUID customer) {
        processed.put(eventId, customer);
    }

    /** Drops what is buffered (the savepoint it belonged to was rolled back). */
    void clear() {
        newProfiles.clear();
        identities.clear();
        unlinked.clear();
        timeline.clear();
        orders.clear();
        orderLines.clear();
        consents.clear();
        processed.clear();
    }

    /** Writes what is buffered, and the attributes and consent of the profiles in {@code graph} that changed. */
    void flush(IdentityGraph graph) throws SQLException {
        if (!newProfiles.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crm_customer (id, created_at, updated_at, status, attributes, consent) values (?, ?, ?, 'active', ?::jsonb, ?::jsonb)")) {
                for (ProfileState p : newProfiles) {
                    ps.setObject(1, p.id);
                    ps.setObject(2, SqlValues.utc(p.createdAt));
                    ps.setObject(3, SqlValues.utc(now));
                    ps.setString(4, Json.write(p.attrs));
                    ps.setString(5, Json.write(p.consent));
                    ps.addBatch();
                    p.isNew = false;
                    p.dirty = false;
                }
                ps.executeBatch();
            }
            newProfiles.clear();
        }
        List<ProfileState> dirty = graph.profiles().stream().filter(x -> x.dirty && !x.isNew).sorted(Comparator.comparing(x -> x.id)).toList();
        if (!dirty.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "update crm_customer set attributes = ?::jsonb, consent = ?::jsonb, updated_at = ? where id = ?")) {
                for (ProfileState p : dirty) {
                    ps.setString(1, Json.write(p.attrs));
                    ps.setString(2, Json.write(p.consent));
                    ps.setObject(3, SqlValues.utc(now));
                    ps.setObject(4, p.id);
                    ps.addBatch();
                    p.dirty = false;
                }
                ps.executeBatch();
            }
        }
        batch("""
                insert into crm_identity (type, namespace, value, customer_id, first_seen_at, last_seen_at, source, event_id, evidence,
                                          weak_orders, last_order)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (type, namespace, value) do update set
                  customer_id = excluded.customer_id,
                  evidence = excluded.evidence,
                  weak_orders = excluded.weak_orders,
                  last_order = excluded.last_order,
                  source = case when excluded.first_seen_at < crm_identity.first_seen_at then excluded.source else crm_identity.source end,
                  event_id = case when excluded.first_seen_at < crm_identity.first_seen_at then excluded.event_id else crm_identity.event_id end,
                  first_seen_at = least(crm_identity.first_seen_at, excluded.first_seen_at),
                  last_seen_at = greatest(crm_identity.last_seen_at, excluded.last_seen_at)
                """, identities.values(), r -> new Object[] {r.key().type(), r.key().namespace(), r.key().value(), r.customer(),
                SqlValues.utc(r.firstSeen()), SqlValues.utc(r.lastSeen()), r.source(), r.eventId(), grade(r.evidence()), r.weakOrders(),
                r.lastOrder()});
        identities.clear();
        batch("""
                insert into crm_identity_unlinked (customer_id, type, namespace, value, reason, first_seen_at, last_seen_at, source, event_id,
                                                   evidence, observations, last_order)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (customer_id, type, namespace, value) do update set
                  reason = excluded.reason,
                  evidence = excluded.evidence,
                  observations = greatest(crm_identity_unlinked.observations, excluded.observations),
                  last_order = coalesce(excluded.last_order, crm_identity_unlinked.last_order),
                  first_seen_at = least(crm_identity_unlinked.first_seen_at, excluded.first_seen_at),
                  last_seen_at = greatest(crm_identity_unlinked.last_seen_at, excluded.last_seen_at)
                """, unlinked.values(), r -> new Object[] {r.customer(), r.key().type(), r.key().namespace(), r.key().value(), r.reason(),
                SqlValues.utc(r.firstSeen()), SqlValues.utc(r.lastSeen()), r.source(), r.eventId(), grade(r.evidence()), r.observations(),
                r.lastOrder()});
        unlinked.clear();
        batch("insert into crm_timeline (customer_id, event_id, type, time, source, summary, recorded_at, identities) "
                        + "values (?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb)",
                timeline, r -> new Object[] {r.customer(), r.eventId(), r.type(), SqlValues.utc(r.time()), r.source(), r.summaryJson(),
                        SqlValues.utc(now), r.identitiesJson()});
        timeline.clear();
        batch("""
                insert into crm_order (source, order_id, customer_id, channel, state, state_rank, status, currency, total_minor,
                                       ordered_at, last_event_at, last_event_id, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (source, order_id) do update set
                  customer_id = excluded.customer_id,
                  state = case when newer then excluded.state else crm_order.state end,
                  state_rank = case when newer then excluded.state_rank else crm_order.state_rank end,
                  status = case when newer then excluded.status else crm_order.status end,
                  currency = case when newer then excluded.currency else crm_order.currency end,
                  total_minor = case when newer then excluded.total_minor else crm_order.total_minor end,
                  last_event_id = case when newer then excluded.last_event_id else crm_order.last_event_id end,
                  ordered_at = least(crm_order.ordered_at, excluded.ordered_at),
                  last_event_at = greatest(crm_order.last_event_at, excluded.last_event_at),
                  updated_at = excluded.updated_at
                """.replace("newer", "(excluded.last_event_at, excluded.state_rank) >= (crm_order.last_event_at, crm_order.state_rank)"),
                orders.values(), r -> new Object[] {r.source(), r.orderId(), r.customer(), r.channel(), r.state(), r.rank(), r.status(),
                        r.currency(), r.totalMinor(), SqlValues.utc(r.orderedAt()), SqlValues.utc(r.lastEventAt()), r.lastEventId(),
                        SqlValues.utc(now)});
        orders.clear();
        writeOrderLines();
        batch("insert into crm_consent_statement (customer_id, key, value, at, event_id, event_type, source, recorded_at) "
                        + "values (?, ?, ?::jsonb, ?, ?, ?, ?, ?)",
                consents, r -> new Object[] {r.customer(), r.key(), Json.write(r.value()), SqlValues.utc(r.at()), r.eventId(), r.eventType(),
                        r.source(), SqlValues.utc(now)});
        consents.clear();
        batch("insert into crm_processed_event (event_id, customer_id, applied_at) values (?, ?, ?)", processed.entrySet(),
                e -> new Object[] {e.getKey(), e.getValue(), SqlValues.utc(now)});
        processed.clear();
    }

    private void writeOrderLines() throws SQLException {
        batch("delete from crm_order_line where source = ? and order_id = ? and event_at <= ?", orderLines.values(),
                r -> new Object[] {r.source(), r.orderId(), SqlValues.utc(r.eventAt())});
        List<Object[]> lines = new ArrayList<>();
        for (OrderLinesRow r : orderLines.values()) {
            for (int i = 0; i < r.lines().size(); i++) {
                io.omnihub.connector.event.Order.OrderLine l = r.lines().get(i);
                lines.add(new Object[] {r.source(), r.orderId(), i + 1, text(l.sku()), text(l.name()), text(l.category()), l.quantity(), l.unitPriceMinor(), SqlValues.utc(r.eventAt()),
                        r.source(), r.orderId(), SqlValues.utc(r.eventAt())});
            }
        }
        batch("""
                insert into crm_order_line (source, order_id, line_no, sku, name, category, quantity, unit_price_minor, event_at)
                select ?, ?, ?, ?, ?, ?, ?, ?, ?
                 where not exists (select 1 from crm_order_line x where x.source = ? and x.order_id = ? and x.event_at > ?)
                on conflict (source, order_id, line_no) do nothing
                """, lines, row -> row);
        orderLines.clear();
    }

    private static String text(String s) {
        return s == null ? null : IdentityPolicy.stripNul(s);
    }

    /** An evidence grade as stored: lowercase, null when unspecified. */
    static String grade(Evidence e) {
        return e == null ? null : e.name().toLowerCase(java.util.Locale.ROOT);
    }

    private <R> void batch(String sql, Collection<R> rows, java.util.function.Function<R, Object[]> columns) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (R row : rows) {
                Object[] values = columns.apply(row);
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (BatchUpdateException e) {
            SQLException next = e.getNextException();
            throw Objects.requireNonNullElse(next, e);
        }
    }
}
