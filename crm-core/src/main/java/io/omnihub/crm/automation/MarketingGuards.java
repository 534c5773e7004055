package io.omnihub.crm.automation;

import io.omnihub.crm.ProfileAliases;
import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guards a marketing message passes once its channel is chosen: a campaign reaches a customer
 * once, frequency caps per channel and across channels, and quiet hours in the customer's time zone.
 */
final class MarketingGuards {

    private static final Logger LOG = LoggerFactory.getLogger(MarketingGuards.class);

    /** Statuses of marketing messages that count against caps and campaigns: everything not refused. */
    private static final String COUNTED = "('planned', 'queued', 'retrying', 'sending', 'sent', 'unknown')";

    private final Connection c;
    private final Instant now;
    private final GuardSettings guards;

    MarketingGuards(Connection c, Instant now, GuardSettings guards) {
        this.c = c;
        this.now = now;
        this.guards = guards;
    }

    /**
     * Why a marketing message on {@code channel} must not go out, or null when it may: the guards that
     * hold for the message whichever option it takes (consent was asked per option when choosing).
     * A campaign counts messages on every channel, the per-channel cap those on {@code channel}, the
     * cross-channel cap all of them.
     */
    String refusal(ActionSpec.Send send, String channel, CustomerFacts customer) throws SQLException {
        // what was sent to profiles merged into this one counts too: they are the same customer
        java.sql.Array profiles = c.createArrayOf("uuid", ProfileAliases.withMerged(c, customer.id).toArray());
        if (send.campaign() != null) {
            try (PreparedStatement ps = c.prepareStatement("select id, connector from crm_action where customer_id = any(?) and campaign = ? "
                    + "and status in " + COUNTED + " limit 1")) {
                ps.setArray(1, profiles);
                ps.setString(2, send.campaign());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return "campaign: '" + send.campaign() + "' reached the customer already (action " + rs.getString(1)
                                + " on " + rs.getString(2) + ")";
                    }
                }
            }
        }
        GuardSettings.Cap perChannel = guards.perChannel();
        if (perChannel.max() > 0 && marketingCount(profiles, channel, perChannel) >= perChannel.max()) {
            return "frequency cap: " + perChannel.max() + " marketing messages per " + describe(perChannel) + " on " + channel;
        }
        GuardSettings.Cap all = guards.allChannels();
        if (all.max() > 0 && marketingCount(profiles, null, all) >= all.max()) {
            return "frequency cap: " + all.max() + " marketing messages per " + describe(all) + " across channels";
        }
        return null;
    }

    /** When a marketing message planned now may go out to {@code customer}: now, or the end of quiet hours where the customer is. */
    Instant notBefore(CustomerFacts customer) {
        return guards.notBefore(now, zoneOf(customer.id, customer.attributes.get(guards.zoneAttribute()), guards));
    }

    /** Marketing messages counted against {@code cap}: on {@code channel} ({@link SendChannels}), or on all channels when null. */
    private long marketingCount(java.sql.Array profiles, String channel, GuardSettings.Cap cap) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select connector, kind, count(*) from crm_action where customer_id = any(?) "
                + "and marketing and status in " + COUNTED + " and created_at > ? group by connector, kind")) {
            ps.setArray(1, profiles);
            ps.setObject(2, SqlValues.utc(now.minus(cap.per())));
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (channel == null || channel.equals(SendChannels.of(rs.getString(1), rs.getString(2)))) {
                        n += rs.getLong(3);
                    }
                }
            }
            return n;
        }
    }

    private static String describe(GuardSettings.Cap cap) {
        long hours = cap.per().toHours();
        return hours % 24 == 0 ? (hours / 24) + " d" : hours + " h";
    }

    /** The time zone of a customer whose time zone attribute is {@code zone} (null when not stated). */
    static ZoneId zoneOf(UUID customer, Object zone, GuardSettings guards) {
        if (zone instanceof String id && !id.isBlank()) {
            try {
                return ZoneId.of(id.strip());
            } catch (DateTimeException e) {
                LOG.debug("customer {} has time zone '{}', which is not one; using {}", customer, id, guards.defaultZone());
            }
        }
        return guards.defaultZone();
    }
}
