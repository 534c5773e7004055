package io.omnihub.routes.stage;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.InstancePausedException;
import io.omnihub.routes.InstanceUnavailableException;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetters;
import io.omnihub.routes.broker.Headers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage that handles each message of a batch on its own: one message's failure never holds back
 * the others. Passing failures (the channel is down, a quota is reached, the instance is not running)
 * send the message back with a durable backoff; the rest, and passing failures that outlast the
 * backoff, park it on the dead-letter queue. Failures of the hub's own infrastructure (its database,
 * its broker; see {@link InfrastructureFaults}), wherever they surface, are not the message's: they
 * propagate as {@link StageInfrastructureException}, and the batch is held and tried again once the
 * dependency is back, with no attempt counted.
 */
public abstract class PerMessageStage implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PerMessageStage.class);
    /** How long a paused instance's record waits before it is looked at again. */
    private static final Duration PAUSED_HOLD = Duration.ofSeconds(5);

    private final String stage;
    private final Backoff backoff;
    private final DeadLetters deadLetters;
    private final StageObserver observer;
    protected final Clock clock;

    protected PerMessageStage(String stage, Backoff backoff, Clock clock) {
        this(stage, backoff, clock, StageObserver.NONE);
    }

    protected PerMessageStage(String stage, Backoff backoff, Clock clock, StageObserver observer) {
        this.stage = stage;
        this.backoff = backoff;
        this.clock = clock;
        this.deadLetters = new DeadLetters(clock);
        this.observer = observer;
    }

    /** Handles one message, sending what it produces to {@code output}. */
    protected abstract void handle(BrokerMessage message, StageOutput output);

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        List<BrokerMessage> batch = exchange.getIn().getBody(List.class);
        StageOutput output = exchange.getProperty(JmsBatchComponent.OUTPUT, StageOutput.class);
        for (BrokerMessage message : batch) {
            long started = System.nanoTime();
            StageObserver.Outcome outcome = StageObserver.Outcome.OK;
            String failure = null;
            try {
                handle(message, output);
            } catch (StageInfrastructureException e) {
                held(message, started, e);
                throw e;
            } catch (RuntimeException e) {
                if (InfrastructureFaults.causedBy(e)) {
                    // The hub's database or broker failed, maybe inside a connector's call to the
                    // token cache: not the message's fault, so no attempt is counted.
                    held(message, started, e);
                    throw new StageInfrastructureException(stage + ": " + e.getMessage(), e);
                }
                outcome = dispose(message, e, output);
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            observer.handled(stage, message.stringProperty(Headers.CONNECTOR), message.stringProperty(Headers.INSTANCE),
                    outcome, Duration.ofNanos(System.nanoTime() - started), failure);
        }
    }

    private void held(BrokerMessage message, long started, RuntimeException error) {
        observer.handled(stage, message.stringProperty(Headers.CONNECTOR), message.stringProperty(Headers.INSTANCE),
                StageObserver.Outcome.HELD, Duration.ofNanos(System.nanoTime() - started),
                "infrastructure unavailable: " + error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    /**
     * Tells the instance's health what the channel answered, for stages that call connectors: a
     * refusal for good marks the instance FAILED, a quota refusal counts against its circuit breaker.
     */
    protected static void reportToInstance(ConnectorRegistry registry, BrokerMessage message, RuntimeException error) {
        String connectorId = message.stringProperty(Headers.CONNECTOR);
        String instanceId = message.stringProperty(Headers.INSTANCE);
        if (error instanceof ConfigException refused) {
            registry.failed(connectorId, instanceId, refused.getMessage());
        } else if (error instanceof RateLimitedException limited) {
            registry.rateLimited(connectorId, instanceId, limited);
        }
    }

    /** Called with every failure of a message before it is retried or parked. */
    protected void failed(BrokerMessage message, RuntimeException error) {
    }

    private StageObserver.Outcome dispose(BrokerMessage message, RuntimeException error, StageOutput output) {
        if (error instanceof InstancePausedException) {
            output.send(backoff.hold(message, clock, PAUSED_HOLD));
            return StageObserver.Outcome.HELD;
        }
        failed(message, error);
        if (isPassing(error) && backoff.allowsRetry(message.intProperty(Headers.ATTEMPTS, 0))) {
            Duration atLeast = error instanceof RateLimitedException limited ? limited.retryAfter() : Duration.ZERO;
            LOG.info("{}: {} will be retried: {}", stage, describe(message), error.getMessage());
            output.send(backoff.retry(message, clock, error.getMessage(), atLeast));
            disposed(message, error, true);
            return StageObserver.Outcome.RETRIED;
        }
        LOG.warn("{}: {} parked on the dead-letter queue: {}: {}", stage, describe(message),
                error.getClass().getSimpleName(), error.getMessage());
        output.send(deadLetters.park(message, stage, error));
        disposed(message, error, false);
        return StageObserver.Outcome.DEAD_LETTERED;
    }

    /**
     * Called after a failed message was sent back for a retry ({@code retried}) or parked on the
     * dead-letter queue, in the same batch transaction; for stages that keep their own record of
     * outcomes. Does nothing by default.
     */
    protected void disposed(BrokerMessage message, RuntimeException error, boolean retried) {
    }

    /**
     * The running instance a message belongs to; a passing failure while it is not running, and a
     * hold (no attempt counted) while an operator has it paused.
     */
    protected static ConnectorInstance runningInstance(ConnectorRegistry registry, String connectorId, String instanceId) {
        return registry.find(connectorId, instanceId).orElseThrow(() -> registry.receiving(connectorId, instanceId).isPresent()
                ? new InstancePausedException(connectorId, instanceId)
                : new InstanceUnavailableException(connectorId, instanceId));
    }

    /** Whether {@code error} may go away by itself. */
    static boolean isPassing(RuntimeException error) {
        return error instanceof TransientException
                || error instanceof RateLimitedException
                || error instanceof AuthException
                || error instanceof ConfigException
                || error instanceof InstanceUnavailableException;
    }

    private static String describe(BrokerMessage message) {
        return message.stringProperty(Headers.CONNECTOR) + "/"
                + message.stringProperty(Headers.INSTANCE) + " message " + message.messageId();
    }

    /** A failure of the hub's own infrastructure: the whole batch waits for it to be repaired. */
    public static final class StageInfrastructureException extends RuntimeException {
        public StageInfrastructureException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
