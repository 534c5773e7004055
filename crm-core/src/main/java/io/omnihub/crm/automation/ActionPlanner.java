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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one action of a rule or journey step inside the current transaction: internal actions
 * (tags, scores, tasks) take effect at once; messages and webhooks are written to the outbox
 * ({@code crm_action}, status {@code planned}) after the guards: recipient, consent, campaign,
 * frequency caps, quiet hours. Every action is recorded under its id, and an id that was recorded
 * before is not acted on again: a step's action runs at most once per enrollment.
 */
final class ActionPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ActionPlanner.class);

    /** Statuses of marketing messages that count against caps and campaigns: everything not refused. */
    private static final String COUNTED = "('planned', 'queued', 'retrying', 'sending', 'sent', 'unknown')";

    private final Connection c;
    private final Instant now;
    private final GuardSettings guards;
    private final ActionRecorder recorder;
    private final CustomerTags tags;
    private final CustomerScores scores;
    private final TaskCreation tasks;

    ActionPlanner(Connection c, Instant now, Definitions definitions, GuardSettings guards) {
        this.c = c;
        this.now = now;
        this.guards = guards;
        this.recorder = new ActionRecorder(c, now);
        this.tags = new CustomerTags(c, now, recorder);
        this.scores = new CustomerScores(c, now, recorder);
        this.tasks = new TaskCreation(c, now, definitions, recorder);
    }

    /**
     * Carries out {@code action} for {@code customer}.
     *
     * @param actionId  its idempotency key
     * @param origin    {@code journey:<id>} or {@code rule:<id>}
     * @param variables the CEL variables for its templates and expressions
     * @return false when {@code actionId} had been recorded before (nothing done now)
     */
    boolean plan(String actionId, String origin, ActionSpec action, CustomerFacts customer, Map<String, Object> variables)
            throws SQLException {
        try {
            if (action instanceof ActionSpec.Tag tag) {
                return tags.apply(actionId, origin, tag, customer, variables);
            } else if (action instanceof ActionSpec.Score score) {
                return scores.apply(actionId, origin, score, customer, variables);
            } else if (action instanceof ActionSpec.Task task) {
                return tasks.apply(actionId, origin, task, customer, variables);
            } else if (action instanceof ActionSpec.Webhook webhook) {
                return webhook(actionId, origin, webhook, customer, variables);
            } else {
                return send(actionId, origin, (ActionSpec.Send) action, customer, variables);
            }
        } catch (Expression.EvaluationException e) {
            // A template or value that cannot be computed for this customer: recorded as failed, visible to operators.
            LOG.warn("automation: action {} of {} failed: {}", actionId, origin, e.getMessage());
            return recorder.record(actionId, customer.id, origin, action.name(), null, null, null, Map.of(), false, null,
                    "failed", "cannot compute the action: " + e.getMessage(), now);
        }
    }

    private boolean webhook(String actionId, String origin, ActionSpec.Webhook webhook, CustomerFacts customer,
                            Map<String, Object> vars) throws SQLException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("customerId", customer.id.toString());
        payload.put("origin", origin);
        payload.put("body", webhook.body().render(vars));
        return recorder.record(actionId, customer.id, origin, "webhook", "webhook", webhook.target(), null, payload, false, null,
                "planned", null, now);
    }

    // ------------------------------------------------------------------------------------------
    // messages: recipient, channel, guards

    private boolean send(String actionId, String origin, ActionSpec.Send send, CustomerFacts customer, Map<String, Object> vars)
            throws SQLException {
        ChannelChooser.Choice choice = new ChannelChooser(c, guards).choose(send, customer);
        if (choice.chosen() == null) {
            ActionSpec.SendOption first = send.via().get(0);
            String reason = choice.suppression();
            if (!recorder.record(actionId, customer.id, origin, first.kind(), first.connector(), first.instance(), null, Map.of(),
                    send.marketing(), send.campaign(), "suppressed", reason, now)) {
                return false;
            }
            LOG.info("automation: {} of {} suppressed: {}", actionId, origin, reason);
            return true;
        }
        ActionSpec.SendOption option = choice.chosen().option();
        Map<String, Object> payload = option.payload().render(vars);
        String status = "planned";
        String reason = choice.passedOver() == null ? null : "fallback: " + choice.passedOver();
        Instant notBefore = now;
        if (send.marketing()) {
            String refused = refusal(send, choice.chosen().channel(), customer);
            if (refused != null) {
                status = "suppressed";
                reason = refused;
            } else {
                notBefore = guards.notBefore(now, zoneOf(customer));
                if (notBefore.isAfter(now)) {
                    reason = "quiet hours: deferred to " + notBefore + (reason == null ? "" : "; " + reason);
                }
            }
        }
        if (!recorder.record(actionId, customer.id, origin, option.kind(), option.connector(), option.instance(), choice.chosen().recipient(),
                payload, send.marketing(), send.campaign(), status, reason, notBefore)) {
            return false;
        }
        if ("suppressed".equals(status)) {
            LOG.info("automation: {} of {} suppressed: {}", actionId, origin, reason);
        }
        return true;
    }

    /**
     * Why a marketing message on {@code channel} must not go out, or null when it may: the guards that
     * hold for the message whichever option it takes (consent was asked per option when choosing).
     * A campaign counts messages on every channel, the per-channel cap those on {@code channel}, the
     * cross-channel cap all of them.
     */
    private String refusal(ActionSpec.Send send, String channel, CustomerFacts customer) throws SQLException {
        // what was sent to profiles merged into this one counts too: they are the same customer
        java.sql.Array profiles = c.createArrayOf("uuid", profiles(c, customer.id).toArray());
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

    /**
     * {@code customer} and every profile merged into it (directly or through other merges): what
     * was sent to any of them was sent to this customer. An unmerge removes the alias, so the
     * profiles count apart again.
     */
    static List<UUID> profiles(Connection c, UUID customer) throws SQLException {
        List<UUID> out = new ArrayList<>(ProfileAliases.mergedInto(c, customer));
        out.add(customer);
        return out;
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

    private ZoneId zoneOf(CustomerFacts customer) {
        return zoneOf(customer.id, customer.attributes.get(guards.zoneAttribute()), guards);
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
