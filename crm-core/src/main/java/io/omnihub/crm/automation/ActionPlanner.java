package io.omnihub.crm.automation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one action of a rule or journey step inside the current transaction: internal actions
 * (tags, scores, tasks) take effect at once; messages and webhooks are written to the outbox
 * ({@code crm_action}, status {@code planned}) after the guards: recipient, consent, campaign,
 * frequency caps, quiet hours. Every action is recorded under its id, and an id that was recorded
 * before is not acted on again: a step's action runs at most once per enrollment. Tags, scores and
 * tasks are {@link CustomerTags}, {@link CustomerScores} and {@link TaskCreation}; the guards after a
 * message's channel is chosen are {@link MarketingGuards}.
 */
final class ActionPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ActionPlanner.class);

    private final Connection c;
    private final Instant now;
    private final GuardSettings guards;
    private final ActionRecorder recorder;
    private final CustomerTags tags;
    private final CustomerScores scores;
    private final TaskCreation tasks;
    private final MarketingGuards marketing;

    ActionPlanner(Connection c, Instant now, Definitions definitions, GuardSettings guards) {
        this.c = c;
        this.now = now;
        this.guards = guards;
        this.recorder = new ActionRecorder(c, now);
        this.tags = new CustomerTags(c, now, recorder);
        this.scores = new CustomerScores(c, now, recorder);
        this.tasks = new TaskCreation(c, now, definitions, recorder);
        this.marketing = new MarketingGuards(c, now, guards);
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
            String refused = marketing.refusal(send, choice.chosen().channel(), customer);
            if (refused != null) {
                status = "suppressed";
                reason = refused;
            } else {
                notBefore = marketing.notBefore(customer);
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
}
