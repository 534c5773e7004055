package io.omnihub.hub.connectors;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Enricher;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.routes.CallGate;
import io.omnihub.routes.InstanceUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector's instance as the hub hands it out: every call into the connector, down to its
 * accessors, passes a {@link CallGate}. {@link #refuseCalls()} shuts the gate; {@link #close()} then
 * waits for the calls in progress and only then lets the connector release what they use, as the SDK
 * promises ({@link ConnectorInstance#close()}).
 *
 * <p>A refused call throws {@link InstanceUnavailableException}: stages send the record back to be
 * retried, and the webhook ingress answers 503, which channels retry. A {@link ConfigException} from a
 * call that was in progress when the gate shut is reported the same way: it speaks for the
 * configuration being replaced, not for the instance that replaces it.
 */
final class GatedInstance implements ConnectorInstance {

    /**
     * How long closing waits for the calls in progress. A connector's call to its channel ends within
     * its timeouts and retries; one that outlasts this is closed under.
     */
    static final Duration DRAIN_BOUND = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(GatedInstance.class);

    private final String connectorId;
    private final String instanceId;
    private final ConnectorInstance connector;
    private final CallGate gate = new CallGate();

    GatedInstance(String connectorId, String instanceId, ConnectorInstance connector) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.connector = connector;
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return call(() -> connector.webhook().map(handler -> request -> call(() -> handler.handle(request))));
    }

    @Override
    public Optional<Poller> poller() {
        return call(() -> connector.poller().map(GatedPoller::new));
    }

    @Override
    public Optional<Enricher> enricher() {
        return call(() -> connector.enricher().map(GatedEnricher::new));
    }

    @Override
    public Optional<ActionSender> actions() {
        return call(() -> connector.actions().map(GatedSender::new));
    }

    @Override
    public Normalizer normalizer() {
        Normalizer normalizer = call(connector::normalizer);
        return normalizer == null ? null : record -> call(() -> normalizer.normalize(record));
    }

    @Override
    public CheckResult check() {
        return call(connector::check);
    }

    @Override
    public List<String> warnings() {
        return call(connector::warnings);
    }

    /** Refuses new calls from now on; those in progress go on. */
    void refuseCalls() {
        gate.shut();
    }

    /**
     * Refuses new calls, waits up to {@link #DRAIN_BOUND} for those in progress, then closes the
     * connector's instance.
     */
    @Override
    public void close() {
        try {
            int left = gate.close(DRAIN_BOUND);
            if (left > 0) {
                log.warn("Connector instance {}/{}: {} call(s) still in progress after {} s; closing it under them",
                        connectorId, instanceId, left, DRAIN_BOUND.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Connector instance {}/{}: interrupted while waiting for its calls; closing it under {} of them",
                    connectorId, instanceId, gate.inProgress());
        }
        connector.close();
    }

    private <T> T call(Supplier<T> action) {
        if (!gate.enter()) {
            throw new InstanceUnavailableException(connectorId, instanceId, "is closing");
        }
        try {
            return action.get();
        } catch (ConfigException e) {
            if (gate.isShut()) {
                InstanceUnavailableException replaced = new InstanceUnavailableException(connectorId, instanceId,
                        "closed while the channel refused its configuration: " + e.getMessage());
                replaced.initCause(e);
                throw replaced;
            }
            throw e;
        } finally {
            gate.leave();
        }
    }

    private final class GatedPoller implements Poller {
        private final Poller poller;

        GatedPoller(Poller poller) {
            this.poller = poller;
        }

        @Override
        public PollResult poll(Optional<String> checkpoint) {
            return call(() -> poller.poll(checkpoint));
        }

        @Override
        public void committed(String checkpoint) {
            call(() -> {
                poller.committed(checkpoint);
                return null;
            });
        }

        @Override
        public Duration interval() {
            return call(poller::interval);
        }
    }

    private final class GatedEnricher implements Enricher {
        private final Enricher enricher;

        GatedEnricher(Enricher enricher) {
            this.enricher = enricher;
        }

        @Override
        public List<CustomerEvent> enrich(CustomerEvent event) {
            return call(() -> enricher.enrich(event));
        }

        @Override
        public Optional<List<CustomerEvent>> enrichLocally(CustomerEvent event) {
            return call(() -> enricher.enrichLocally(event));
        }
    }

    private final class GatedSender implements ActionSender {
        private final ActionSender sender;

        GatedSender(ActionSender sender) {
            this.sender = sender;
        }

        @Override
        public Set<String> kinds() {
            return call(sender::kinds);
        }

        @Override
        public ActionResult send(OutboundAction action) {
            return call(() -> sender.send(action));
        }
    }
}
