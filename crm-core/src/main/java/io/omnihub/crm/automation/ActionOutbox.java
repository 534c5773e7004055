package io.omnihub.crm.automation;

import io.omnihub.connector.event.Identity;
import io.omnihub.crm.ProfileAliases;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox of planned channel actions: handed to the dispatcher's queue when due, with the guards
 * that can change while a message waits (consent, quiet hours) asked again at the door.
 */
public final class ActionOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(ActionOutbox.class);

    private final Transactions tx;
    private final Clock clock;
    private final GuardSettings guards;

    ActionOutbox(Transactions tx, Clock clock, GuardSettings guards) {
        this.tx = tx;
        this.clock = clock;
        this.guards = guards;
    }

    /**
     * Hands up to {@code max} planned channel actions that are due (quiet hours over) to
     * {@code queue} and marks them queued, in one transaction: when the queue fails nothing is
     * marked. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so nodes never hand over the
     * same action twice at once; a crash after the queue accepted them hands them over again, and
     * the dispatcher recognises them by id.
     *
     * @return how many were handed over
     */
    public int drainOutbox(int max, ActionQueue queue) {
        return tx.retrying(c -> {
            Instant now = clock.instant();
            List<PlannedAction> due = new ArrayList<>();
            List<PlannedAction> marketing = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, customer_id, kind, connector, instance, recipient_type, recipient_namespace, recipient_value, payload::text,
                           marketing
                      from crm_action where status = 'planned' and not_before <= ?
                     order by not_before, created_at, id limit ? for update skip locked
                    """)) {
                ps.setObject(1, SqlValues.utc(now));
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Identity recipient = rs.getString(6) == null ? null : new Identity(rs.getString(6), rs.getString(8), rs.getString(7));
                        PlannedAction action = new PlannedAction(rs.getString(1), rs.getObject(2, UUID.class).toString(), rs.getString(3),
                                rs.getString(4), rs.getString(5), recipient, CelValues.readMap(rs.getString(9)));
                        due.add(action);
                        if (rs.getBoolean(10)) {
                            marketing.add(action);
                        }
                    }
                }
            }
            java.util.Set<String> held = heldAtTheDoor(c, now, marketing);
            due.removeIf(a -> held.contains(a.id()));
            if (due.isEmpty()) {
                return 0;
            }
            queue.enqueue(due);
            try (PreparedStatement ps = c.prepareStatement("update crm_action set status = 'queued', updated_at = ? where id = any(?)")) {
                ps.setObject(1, SqlValues.utc(now));
                ps.setArray(2, c.createArrayOf("text", due.stream().map(PlannedAction::id).toArray()));
                ps.executeUpdate();
            }
            return due.size();
        });
    }

    /**
     * The guards that can change while a marketing message waits, asked again as it is about to go
     * out: the customer's marketing consent on the message's channel as it is now (on the profile
     * the customer was merged into, if so), and quiet hours. Messages without consent are recorded as suppressed; messages that would go
     * out in quiet hours get {@code not_before} at their end and stay planned. Returns the ids of both kinds.
     */
    private java.util.Set<String> heldAtTheDoor(Connection c, Instant now, List<PlannedAction> marketing) throws SQLException {
        java.util.Set<String> held = new java.util.HashSet<>();
        if (marketing.isEmpty()) {
            return held;
        }
        Map<UUID, Guarded> profiles = guarded(c, marketing.stream().map(a -> UUID.fromString(a.customerId())).toList());
        for (PlannedAction a : marketing) {
            Guarded g = profiles.get(UUID.fromString(a.customerId()));
            String refused = g.consentRefusal(guards, SendChannels.of(a.connector(), a.kind()));
            if (refused != null) {
                suppress(c, a.id(), refused, now);
                held.add(a.id());
                continue;
            }
            Instant quietEnd = guards.notBefore(now, g.zone(guards));
            if (quietEnd.isAfter(now)) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update crm_action set not_before = ?, reason = ?, updated_at = ? where id = ?")) {
                    ps.setObject(1, SqlValues.utc(quietEnd));
                    ps.setString(2, "quiet hours: deferred to " + quietEnd);
                    ps.setObject(3, SqlValues.utc(now));
                    ps.setString(4, a.id());
                    ps.executeUpdate();
                }
                held.add(a.id());
            }
        }
        return held;
    }

    /**
     * A customer's surviving profile as the guards at the door read it: consent statements (values by
     * key) and time zone as they are now.
     */
    private record Guarded(UUID id, Map<String, Object> consent, String zone) {
        /** Why marketing on {@code channel} must not go out now, or null: the channel's own statement, else the blanket one. */
        String consentRefusal(GuardSettings guards, String channel) {
            String refused = ChannelConsent.of(consent, channel).refusal(guards);
            return refused == null ? null : "consent: " + refused + " (checked again when it was due to go out)";
        }

        java.time.ZoneId zone(GuardSettings guards) {
            return MarketingGuards.zoneOf(id, zone, guards);
        }
    }

    /** For each of {@code customers}: its surviving profile's consent and time zone. */
    private Map<UUID, Guarded> guarded(Connection c, List<UUID> customers) throws SQLException {
        Map<UUID, UUID> surviving = ProfileAliases.surviving(c, new java.util.HashSet<>(customers));
        Map<UUID, Guarded> byProfile = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, consent::text, attributes->?->>'v' "
                + "from crm_customer where id = any(?)")) {
            ps.setString(1, guards.zoneAttribute());
            ps.setArray(2, c.createArrayOf("uuid", new java.util.HashSet<>(surviving.values()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    Map<String, Object> consent = new java.util.HashMap<>();
                    CustomerFacts.statements(CelValues.readMap(rs.getString(2)), consent);
                    byProfile.put(id, new Guarded(id, consent, rs.getString(3)));
                }
            }
        }
        Map<UUID, Guarded> out = new java.util.HashMap<>();
        for (UUID customer : customers) {
            UUID profile = surviving.getOrDefault(customer, customer);
            out.put(customer, byProfile.getOrDefault(profile, new Guarded(profile, Map.of(), null)));
        }
        return out;
    }

    private static void suppress(Connection c, String actionId, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update crm_action set status = 'suppressed', reason = ?, updated_at = ? "
                + "where id = ? and status in ('planned', 'queued', 'retrying')")) {
            ps.setString(1, reason);
            ps.setObject(2, SqlValues.utc(now));
            ps.setString(3, actionId);
            ps.executeUpdate();
        }
        LOG.info("automation: {} suppressed as it was due to go out: {}", actionId, reason);
    }

    /**
     * What the last look before a message goes to its channel found: it may be sent
     * ({@link #send()}), it was suppressed (recorded; not to be sent), or it waits until
     * {@code heldUntil}, the end of the customer's quiet hours.
     */
    public record Clearance(String suppressed, Instant heldUntil) {
        static final Clearance SEND = new Clearance(null, null);

        public boolean send() {
            return suppressed == null && heldUntil == null;
        }
    }

    /**
     * Asks the guards that can change while a marketing message waits (on {@code hub.actions}, or
     * between retries) once more, right before it is sent: the customer's current marketing consent
     * on the message's channel, on the surviving profile after merges (none: recorded as suppressed), and quiet hours in the
     * customer's time zone (inside them: held to their end, the action's status unchanged). Other
     * actions are always clear.
     */
    public Clearance clearToSend(String actionId) {
        return tx.retrying(c -> {
            Instant now = clock.instant();
            UUID customer;
            String channel;
            try (PreparedStatement ps = c.prepareStatement("select customer_id, connector, kind from crm_action where id = ? and marketing "
                    + "and status in ('planned', 'queued', 'retrying')")) {
                ps.setString(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Clearance.SEND;
                    }
                    customer = rs.getObject(1, UUID.class);
                    channel = SendChannels.of(rs.getString(2), rs.getString(3));
                }
            }
            Guarded g = guarded(c, List.of(customer)).get(customer);
            String refused = g.consentRefusal(guards, channel);
            if (refused != null) {
                suppress(c, actionId, refused, now);
                return new Clearance(refused, null);
            }
            Instant quietEnd = guards.notBefore(now, g.zone(guards));
            if (quietEnd.isAfter(now)) {
                try (PreparedStatement ps = c.prepareStatement("update crm_action set reason = ?, updated_at = ? where id = ?")) {
                    ps.setString(1, "quiet hours: held to " + quietEnd);
                    ps.setObject(2, SqlValues.utc(now));
                    ps.setString(3, actionId);
                    ps.executeUpdate();
                }
                return new Clearance(null, quietEnd);
            }
            return Clearance.SEND;
        });
    }
}
