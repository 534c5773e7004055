package io.omnihub.routes.stage;

import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.crm.CrmException;
import io.omnihub.crm.automation.ActionLedger;
import io.omnihub.crm.automation.ActionOutbox;
import io.omnihub.crm.automation.Automation;
import io.omnihub.routes.InstanceUnavailableException;
import io.omnihub.routes.action.ActionMessages;
import io.omnihub.routes.action.ActionTargets;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hub.actions} → the channel: hands each action to its connector instance's
 * {@link ActionSender} (generic over kinds) and records the outcome for the API. Each action is
 * claimed in the database before it is sent ({@link Automation#claimAction}), so of several copies of
 * one action (a redelivery, or the outbox handing it over again after a crash) one is sent and the
 * others are dropped, or held while the claimant is still sending. An action whose send was
 * interrupted before its outcome was recorded is sent again only when its kind carries the action id
 * to the channel as an idempotency key ({@link ActionTargets#carriesIdempotencyKey}); otherwise it is
 * marked {@code unknown} for an operator. A channel that is down,
 * rate-limited or paused by its circuit breaker gets the action again after a durable backoff; bad
 * input is parked on {@code hub.dlq} with the reason.
 */
public final class ActionDispatchStage extends PerMessageStage {

    public static final String STAGE = "dispatch";
    private static final Logger LOG = LoggerFactory.getLogger(ActionDispatchStage.class);
    /** Outcomes after which an action is never sent again. */
    private static final Set<String> DONE = Set.of("sent", "suppressed", "done", "unknown");
    /**
     * How long a claim lasts: an action still {@code sending} after this was interrupted (the node
     * stopped, or could not record the channel's answer). Longer than any send takes, and well inside
     * WeChat's de-duplication window for {@code client_msg_id}.
     */
    public static final Duration SENDING_LEASE = Duration.ofMinutes(5);
    /** How long a copy of an action that another consumer is sending waits before it looks again. */
    private static final Duration IN_FLIGHT_HOLD = Duration.ofSeconds(5);

    private final ActionTargets targets;
    private final ActionMessages messages;
    private final Automation automation;
    private final Backoff backoff;

    /**
     * @param brokerClock the time scheduled redeliveries are computed in: the broker's wall clock
     */
    public ActionDispatchStage(ActionTargets targets, ActionMessages messages, Automation automation, Backoff backoff,
                               Clock brokerClock) {
        super(STAGE, backoff, brokerClock);
        this.targets = targets;
        this.messages = messages;
        this.automation = automation;
        this.backoff = backoff;
    }

    @Override
    protected void handle(BrokerMessage message, StageOutput output) {
        ActionMessages.Dispatch dispatch = messages.decode(message);
        String id = dispatch.action().id();
        Optional<String> status = recorded(() -> automation.ledger().actionStatus(id));
        if (status.isPresent() && DONE.contains(status.get())) {
            LOG.debug("dispatch: action {} is {} already, not sent again", id, status.get());
            return;
        }
        // consent may have been withdrawn, and a retry may land in quiet hours, since it was planned
        ActionOutbox.Clearance clearance = recorded(() -> automation.outbox().clearToSend(id));
        if (clearance.suppressed() != null) {
            LOG.info("dispatch: action {} not sent: {}", id, clearance.suppressed());
            return;
        }
        if (clearance.heldUntil() != null) {
            LOG.debug("dispatch: action {} waits for the customer's quiet hours to end at {}", id, clearance.heldUntil());
            output.send(backoff.hold(message, clock, Duration.between(automation.clock().instant(), clearance.heldUntil())));
            return;
        }
        ActionSender sender = targets.sender(dispatch.connector(), dispatch.instance())
                .orElseThrow(() -> new InstanceUnavailableException(dispatch.connector(), dispatch.instance()));
        if (!sender.kinds().contains(dispatch.action().kind())) {
            throw new BadInputException(dispatch.connector() + "/" + dispatch.instance() + " cannot send actions of kind '"
                    + dispatch.action().kind() + "' (it sends " + String.join(", ", new java.util.TreeSet<>(sender.kinds())) + ")");
        }
        ActionLedger.Claim claim = recorded(() -> automation.ledger().claimAction(id, SENDING_LEASE,
                targets.carriesIdempotencyKey(dispatch.connector(), dispatch.action().kind())));
        switch (claim) {
            case CLAIMED -> {
            }
            case IN_FLIGHT -> {
                LOG.debug("dispatch: action {} is being sent by another consumer, or not recorded as queued yet; this copy looks again"
                        + " later", id);
                output.send(backoff.hold(message, clock, IN_FLIGHT_HOLD));
                return;
            }
            case UNKNOWN -> {
                LOG.warn("dispatch: action {} ({}) was being sent when the hub stopped or failed to record the answer;"
                        + " it has no idempotency key, so it is not sent again: marked 'unknown' for an operator", id,
                        dispatch.action().kind());
                return;
            }
            default -> {
                LOG.debug("dispatch: action {} is sent, settled or not queued; this copy is dropped", id);
                return;
            }
        }
        ActionResult result;
        try {
            result = sender.send(dispatch.action());
        } catch (RuntimeException e) {
            recorded(() -> {
                automation.ledger().actionNotSent(id);
                return null;
            });
            throw e;
        }
        String detail = result == null ? null : result.detail();
        recorded(() -> {
            automation.ledger().actionSent(id, result == null ? null : result.channelReference(), detail);
            return null;
        });
        LOG.info("dispatch: action {} ({}) sent through {}/{}", id, dispatch.action().kind(), dispatch.connector(), dispatch.instance());
    }

    @Override
    protected void failed(BrokerMessage message, RuntimeException error) {
        ActionMessages.Dispatch dispatch;
        try {
            dispatch = messages.decode(message);
        } catch (RuntimeException unreadable) {
            return;
        }
        targets.failed(dispatch.connector(), dispatch.instance(), error);
    }

    @Override
    protected void disposed(BrokerMessage message, RuntimeException error, boolean retried) {
        String id = message.stringProperty(ActionMessages.ACTION_ID);
        if (id == null) {
            return;
        }
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        recorded(() -> {
            if (retried) {
                automation.ledger().actionRetrying(id, reason);
            } else {
                automation.ledger().actionFailed(id, reason + " (parked on the dead-letter queue)");
            }
            return null;
        });
    }

    /** The database is the hub's own infrastructure: while it is down, the whole batch waits for it. */
    private static <T> T recorded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (CrmException e) {
            if (!InfrastructureFaults.causedBy(e)) {
                throw e;
            }
            throw new StageInfrastructureException("dispatch: cannot record the action's outcome: " + e.getMessage(), e);
        }
    }
}
