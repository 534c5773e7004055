package io.omnihub.crm.automation;

import io.omnihub.crm.MaskedValue;
import io.omnihub.crm.jdbc.Uuids;
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
 * What became of each action after the outbox: claimed for sending (one copy of many), sent,
 * retrying, failed or unknown, as the dispatcher reports it; and the list operators read.
 */
public final class ActionLedger {

    private static final Logger LOG = LoggerFactory.getLogger(ActionLedger.class);

    private final Transactions tx;
    private final Clock clock;

    ActionLedger(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    /** The status of an action ({@code planned}, {@code queued}, {@code sent}, ...), if it exists. */
    public Optional<String> actionStatus(String actionId) {
        return tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("select status from crm_action where id = ?")) {
                ps.setString(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** What {@link #claimAction} found. */
    public enum Claim {
        /** The action is the caller's to send now: it is marked {@code sending}. */
        CLAIMED,
        /**
         * Another copy of the action is being sent (claimed less than the lease ago), or the outbox has not
         * recorded it as queued yet: look again later.
         */
        IN_FLIGHT,
        /** Nothing to send: it was sent or settled already, or there is no such action. */
        SETTLED,
        /**
         * A send was interrupted (claimed longer than the lease ago, never recorded) and the action's kind
         * has no idempotency key: it is marked {@code unknown} for an operator instead of being sent again.
         */
        UNKNOWN
    }

    /**
     * Claims an action for sending, atomically: of any number of copies of one action on
     * {@code hub.actions}, on any number of nodes, one gets {@link Claim#CLAIMED}. Queued, retrying
     * and failed (replayed from the dead-letter queue) actions can be claimed. An action still
     * {@code sending} after {@code lease} was interrupted between the channel and the record of its
     * answer: it is claimed again when {@code resendable} (its kind passes the action id to the
     * channel as an idempotency key), else marked {@code unknown}.
     */
    public Claim claimAction(String actionId, java.time.Duration lease, boolean resendable) {
        return tx.retrying(c -> {
            Instant now = clock.instant();
            // Lock the row first and decide on its latest committed state. A conditional UPDATE alone
            // would judge the version from before a concurrent outbox drain committed 'queued' (the
            // drain holds the row while the broker takes the message), miss it, and drop the copy.
            Instant claimedAt;
            try (PreparedStatement ps = c.prepareStatement("select status, claimed_at from crm_action where id = ? for update")) {
                ps.setString(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    String found = rs.next() ? rs.getString(1) : null;
                    if ("planned".equals(found)) {
                        // the outbox has not committed 'queued' yet (or failed to): it is queued (again) shortly
                        return Claim.IN_FLIGHT;
                    }
                    if ("queued".equals(found) || "retrying".equals(found) || "failed".equals(found)) {
                        try (PreparedStatement claim = c.prepareStatement(
                                "update crm_action set status = 'sending', claimed_at = ?, updated_at = ? where id = ?")) {
                            claim.setObject(1, SqlValues.utc(now));
                            claim.setObject(2, SqlValues.utc(now));
                            claim.setString(3, actionId);
                            claim.executeUpdate();
                        }
                        return Claim.CLAIMED;
                    }
                    if (!"sending".equals(found)) {
                        return Claim.SETTLED;
                    }
                    claimedAt = SqlValues.instant(rs, 2);
                }
            }
            if (claimedAt != null && claimedAt.isAfter(now.minus(lease))) {
                return Claim.IN_FLIGHT;
            }
            try (PreparedStatement ps = c.prepareStatement(resendable
                    ? "update crm_action set claimed_at = ?, updated_at = ?, reason = ? where id = ?"
                    : "update crm_action set status = 'unknown', updated_at = ?, reason = ? where id = ?")) {
                int i = 1;
                if (resendable) {
                    ps.setObject(i++, SqlValues.utc(now));
                }
                ps.setObject(i++, SqlValues.utc(now));
                ps.setString(i++, resendable
                        ? "sent again with the same idempotency key: a send claimed at " + claimedAt + " was never recorded"
                        : "a send claimed at " + claimedAt + " was never recorded (the hub stopped, or could not record the"
                                + " channel's answer): it may or may not have reached the customer, and its kind has no"
                                + " idempotency key, so it is not sent again");
                ps.setString(i, actionId);
                ps.executeUpdate();
            }
            return resendable ? Claim.CLAIMED : Claim.UNKNOWN;
        });
    }

    /** The claimant's send failed: the action is no longer {@code sending} (its outcome is recorded next). */
    public void actionNotSent(String actionId) {
        tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update crm_action set status = 'retrying', claimed_at = null, updated_at = ? where id = ? and status = 'sending'")) {
                ps.setObject(1, SqlValues.utc(clock.instant()));
                ps.setString(2, actionId);
                return ps.executeUpdate();
            }
        });
    }

    /** The channel accepted the action. */
    public void actionSent(String actionId, String channelReference, String detail) {
        outcome(actionId, "sent", detail, channelReference);
    }

    /** The channel could not take it now; it will be tried again. */
    public void actionRetrying(String actionId, String reason) {
        outcome(actionId, "retrying", reason, null);
    }

    /** The action failed for good (or its retries ran out); it is parked for an operator. */
    public void actionFailed(String actionId, String reason) {
        outcome(actionId, "failed", reason, null);
    }

    private void outcome(String actionId, String status, String reason, String channelReference) {
        tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    update crm_action set status = ?, reason = ?, channel_reference = coalesce(?, channel_reference),
                           attempts = attempts + 1, updated_at = ?, sent_at = case when ? = 'sent' then ? else sent_at end
                     where id = ? and status <> 'sent'
                    """ + ("sent".equals(status) ? "" // a copy that did not claim the action never overrides the claimant's record
                    : " and status not in ('sending', 'unknown')"))) {
                ps.setString(1, status);
                ps.setString(2, reason == null ? null : CelValues.clean(reason.length() > 2000 ? reason.substring(0, 2000) : reason));
                ps.setString(3, channelReference);
                Object now = SqlValues.utc(clock.instant());
                ps.setObject(4, now);
                ps.setString(5, status);
                ps.setObject(6, now);
                ps.setString(7, actionId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Actions, newest first, optionally only of one customer, status or origin ({@code journey:<id>},
     * {@code rule:<id>}). Recipients are masked.
     */
    public List<ActionRecord> actions(String customerId, String status, String origin, int limit) {
        return tx.retrying(c -> {
            StringBuilder sql = new StringBuilder("select " + ACTION_COLUMNS + " from crm_action where true");
            List<Object> params = new ArrayList<>();
            if (customerId != null) {
                sql.append(" and customer_id = ?");
                params.add(Uuids.parse(customerId).orElse(new UUID(0, 0)));
            }
            if (status != null) {
                sql.append(" and status = ?");
                params.add(status);
            }
            if (origin != null) {
                sql.append(" and origin = ?");
                params.add(origin);
            }
            sql.append(" order by created_at desc, id limit ?");
            params.add(Math.max(1, Math.min(limit, 1000)));
            List<ActionRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(action(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The columns {@link #action(ResultSet)} reads, in its order. */
    static final String ACTION_COLUMNS = """
            id, customer_id, origin, kind, connector, instance, recipient_type, recipient_value, payload::text, marketing,
            campaign, status, reason, attempts, channel_reference, not_before, created_at, updated_at""";

    /** One {@code crm_action} row read with {@link #ACTION_COLUMNS}; the recipient masked. */
    static ActionRecord action(ResultSet rs) throws SQLException {
        return new ActionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), MaskedValue.of(rs.getString(8)), CelValues.readMap(rs.getString(9)),
                rs.getBoolean(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getInt(14), rs.getString(15),
                SqlValues.instant(rs, 16), SqlValues.instant(rs, 17), SqlValues.instant(rs, 18));
    }
}
