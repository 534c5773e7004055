package io.omnihub.routes.stage;

import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.crm.CrmException;
import io.omnihub.crm.automation.Automation;
import io.omnihub.routes.action.ActionMessages;
import io.omnihub.routes.action.ActionTargets;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hub.actions} → the channel: hands each action to its connector instance's
 * {@link ActionSender} (generic over kinds) and records the outcome for the API. An action already
 * sent (a redelivery, or the outbox handing it over again after a crash) is not sent again; where
 * the channel supports it the action id also travels as its idempotency key. A channel that is down,
 * rate-limited or paused by its circuit breaker gets the action again after a durable backoff; bad
 * input is parked on {@code hub.dlq} with the reason.
 */
public final class ActionDispatchStage extends PerMessageStage {

    public static final String STAGE = "dispatch";
    private static final Logger LOG = LoggerFactory.getLogger(ActionDispatchStage.class);
    /** Outcomes after which an action is never sent again. */
    private static final Set<String> DONE = Set.of("sent", "suppressed", "done");

    private final ActionTargets targets;
    private final ActionMessages messages;
    private final Automation automation;

    /**
     * @param brokerClock the time scheduled redeliveries are computed in: the broker's wall clock
     */
    public ActionDispatchStage(ActionTargets targets, ActionMessages messages, Automation automation, Backoff backoff,
                               Clock brokerClock) {
        super(STAGE, backoff, brokerClock);
        this.targets = targets;
        this.messages = messages;
        this.automation = automation;
    }

    @Override
    protected void handle(BrokerMessage message, StageOutput output) {
        ActionMessages.Dispatch dispatch = messages.decode(message);
        String id = dispatch.action().id();
        Optional<String> status = recorded(() -> automation.actionStatus(id));
        if (status.isPresent() && DONE.contains(status.get())) {
            LOG.debug("dispatch: action {} is {} already, not sent again", id, status.get());
            return;
        }
        ActionSender sender = targets.sender(dispatch.connector(), dispatch.instance())
                .orElseThrow(() -> new InstanceUnavailableException(dispatch.connector(), dispatch.instance()));
        if (!sender.kinds().contains(dispatch.action().kind())) {
            throw new BadInputException(dispatch.connector() + "/" + dispatch.instance() + " cannot send actions of kind '"
                    + dispatch.action().kind() + "' (it sends " + String.join(", ", new java.util.TreeSet<>(sender.kinds())) + ")");
        }
        ActionResult result = sender.send(dispatch.action());
        String detail = result == null ? null : result.detail();
        recorded(() -> {
            automation.actionSent(id, result == null ? null : result.channelReference(), detail);
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
                automation.actionRetrying(id, reason);
            } else {
                automation.actionFailed(id, reason + " (parked on the dead-letter queue)");
            }
            return null;
        });
    }

    /** The database is the hub's own infrastructure: when it fails, the whole batch goes back to the broker. */
    private static <T> T recorded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (CrmException e) {
            throw new StageInfrastructureException("dispatch: cannot record the action's outcome: " + e.getMessage(), e);
        }
    }
}
