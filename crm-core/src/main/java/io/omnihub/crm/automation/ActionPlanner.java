package io.omnihub.crm.automation;

import io.omnihub.crm.ProfileAliases;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Uuids;
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
    private final Definitions definitions;
    private final GuardSettings guards;
    private final ActionRecorder recorder;

    ActionPlanner(Connection c, Instant now, Definitions definitions, GuardSettings guards) {
        this.c = c;
        this.now = now;
        this.definitions = definitions;
        this.guards = guards;
        this.recorder = new ActionRecorder(c, now);
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
                return tag(actionId, origin, tag, customer, variables);
            } else if (action instanceof ActionSpec.Score score) {
                return score(actionId, origin, score, customer, variables);
            } else if (action instanceof ActionSpec.Task task) {
                return task(actionId, origin, task, customer, variables);
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

    // ------------------------------------------------------------------------------------------
    // internal actions

    private boolean tag(String actionId, String origin, ActionSpec.Tag tag, CustomerFacts customer, Map<String, Object> vars)
            throws SQLException {
        List<String> tags = new ArrayList<>();
        for (Template t : tag.tags()) {
            String name = CelValues.clean(t.renderText(vars)).strip();
            if (!name.isEmpty()) {
                tags.add(name.length() > 200 ? name.substring(0, 200) : name);
            }
        }
        if (!recorder.record(actionId, customer.id, origin, tag.name(), null, null, null, Map.of("tags", tags), false, null, "done", null, now)) {
            return false;
        }
        for (String name : tags) {
            if (tag.add()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into crm_tag (customer_id, tag, added_at) values (?, ?, ?) on conflict do nothing")) {
                    ps.setObject(1, customer.id);
                    ps.setString(2, name);
                    ps.setObject(3, SqlValues.utc(now));
                    ps.executeUpdate();
                }
                customer.tags.add(name);
                customer.changed();
            } else {
                try (PreparedStatement ps = c.prepareStatement("delete from crm_tag where customer_id = ? and tag = ?")) {
                    ps.setObject(1, customer.id);
                    ps.setString(2, name);
                    ps.executeUpdate();
                }
                customer.tags.remove(name);
                customer.changed();
            }
        }
        return true;
    }

    private boolean score(String actionId, String origin, ActionSpec.Score score, CustomerFacts customer, Map<String, Object> vars)
            throws SQLException {
        boolean add = score.add() != null;
        long value = whole(add ? score.add() : score.set(), vars);
        if (!recorder.record(actionId, customer.id, origin, score.name(), null, null, null,
                Map.of("name", score.scoreName(), add ? "add" : "set", value), false, null, "done", null, now)) {
            return false;
        }
        setScore(customer, score.scoreName(), value, add);
        return true;
    }

    /** Adds to or sets a score (no action record: RFM uses this directly). */
    void setScore(CustomerFacts customer, String name, long value, boolean add) throws SQLException {
        if (!add && Long.valueOf(value).equals(customer.scores.get(name))) {
            return; // unchanged: no statement
        }
        customer.changed();
        try (PreparedStatement ps = c.prepareStatement(add
                ? "insert into crm_score (customer_id, name, value) values (?, ?, ?) "
                + "on conflict (customer_id, name) do update set value = crm_score.value + excluded.value returning value"
                : "insert into crm_score (customer_id, name, value) values (?, ?, ?) "
                + "on conflict (customer_id, name) do update set value = excluded.value returning value")) {
            ps.setObject(1, customer.id);
            ps.setString(2, name);
            ps.setLong(3, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                customer.scores.put(name, rs.getLong(1));
            }
        }
    }

    private static long whole(Expression expression, Map<String, Object> vars) {
        Object v = expression.evaluate(vars);
        if (v instanceof Number n) {
            return Math.round(n.doubleValue());
        }
        if (v instanceof String s) {
            try {
                return Math.round(Double.parseDouble(s.strip()));
            } catch (NumberFormatException e) {
                throw new Expression.EvaluationException(expression.location() + ": '" + expression.source()
                        + "' gave text that is not a number", e);
            }
        }
        throw new Expression.EvaluationException(expression.location() + ": '" + expression.source()
                + "' gave " + (v == null ? "null" : v.getClass().getSimpleName()) + ", not a number", null);
    }

    private boolean task(String actionId, String origin, ActionSpec.Task task, CustomerFacts customer, Map<String, Object> vars)
            throws SQLException {
        String title = CelValues.clean(task.title().renderText(vars));
        String note = task.note() == null ? null : CelValues.clean(task.note().renderText(vars));
        String assignee;
        String manager;
        String key = null;
        Assignment assignment = definitions.assignment();
        if (task.assignBy() != null) {
            key = assignmentKey(task, customer, vars);
            Assignment.Assignee entry = assignment.find(task.assignBy(), key).orElse(assignment.fallback());
            assignee = entry.assignee();
            manager = entry.manager() != null ? entry.manager() : assignment.fallback().manager();
        } else {
            assignee = CelValues.clean(task.assignee().renderText(vars));
            manager = assignment.fallback().manager();
        }
        UUID taskId = Uuids.v7(now);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("taskId", taskId.toString());
        payload.put("title", title);
        payload.put("assignee", assignee);
        if (!recorder.record(actionId, customer.id, origin, "task", null, null, null, payload, false, null, "done", null, now)) {
            return false;
        }
        Instant escalateAt = task.escalateAfter() == null || manager == null ? null : now.plus(task.escalateAfter());
        try (PreparedStatement ps = c.prepareStatement("""
                insert into crm_task (id, action_id, customer_id, title, note, assignee, manager, store, region, lead_source, origin,
                                      status, due_at, escalate_at, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)
                """)) {
            ps.setObject(1, taskId);
            ps.setString(2, actionId);
            ps.setObject(3, customer.id);
            ps.setString(4, title);
            ps.setString(5, note);
            ps.setString(6, assignee);
            ps.setString(7, manager);
            ps.setString(8, "store".equals(task.assignBy()) ? key : null);
            ps.setString(9, "region".equals(task.assignBy()) ? key : null);
            ps.setString(10, "source".equals(task.assignBy()) ? key : null);
            ps.setString(11, origin);
            ps.setObject(12, task.due() == null ? null : SqlValues.utc(now.plus(task.due())));
            ps.setObject(13, SqlValues.utc(escalateAt));
            ps.setObject(14, SqlValues.utc(now));
            ps.executeUpdate();
        }
        if (escalateAt != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crm_timer (due_at, kind, task_id, created_at) values (?, 'task', ?, ?)")) {
                ps.setObject(1, SqlValues.utc(escalateAt));
                ps.setObject(2, taskId);
                ps.setObject(3, SqlValues.utc(now));
                ps.executeUpdate();
            }
        }
        return true;
    }

    private static String assignmentKey(ActionSpec.Task task, CustomerFacts customer, Map<String, Object> vars) {
        Object value;
        if (task.key() != null) {
            try {
                value = task.key().evaluate(vars);
            } catch (Expression.EvaluationException e) {
                value = null; // no such key for this customer: the fallback assignee gets the task
            }
        } else {
            String attribute = switch (task.assignBy()) {
                case "region" -> "region";
                case "store" -> "homeStore";
                default -> "leadSource";
            };
            value = customer.attributes.get(attribute);
        }
        return value == null ? null : CelValues.clean(Template.text(Template.jsonValue(value)));
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
