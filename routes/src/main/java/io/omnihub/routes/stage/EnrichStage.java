package io.omnihub.routes.stage;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Enricher;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code hub.enrich} → {@code hub.events}: asks the instance's enricher for identities only the
 * channel's API knows. Runs beside the core, so a slow or broken channel API never holds an event
 * back; while the API is down the request waits with a durable backoff.
 */
public final class EnrichStage extends PerMessageStage {

    public static final String STAGE = "enrich";

    private final ConnectorRegistry registry;
    private final EventMessages events;
    private final Predicate<CustomerEvent> erased;

    public EnrichStage(ConnectorRegistry registry, EventMessages events, Backoff backoff, Clock clock) {
        this(registry, events, backoff, clock, StageObserver.NONE, event -> false);
    }

    /**
     * @param erased whether an event carries an identifier of an erased customer: the channel is then
     *               not asked about them (the event itself is left out by the core)
     */
    public EnrichStage(ConnectorRegistry registry, EventMessages events, Backoff backoff, Clock clock, StageObserver observer,
                       Predicate<CustomerEvent> erased) {
        super(STAGE, backoff, clock, observer);
        this.registry = registry;
        this.events = events;
        this.erased = erased;
    }

    @Override
    protected void handle(BrokerMessage message, StageOutput output) {
        String connectorId = message.stringProperty(Headers.CONNECTOR);
        String instanceId = message.stringProperty(Headers.INSTANCE);
        ConnectorInstance instance = runningInstance(registry, connectorId, instanceId);
        Enricher enricher = instance.enricher().orElse(null);
        if (enricher == null) {
            return; // the instance no longer enriches: nothing to add
        }
        CustomerEvent event = events.decode(message);
        if (erased.test(event)) {
            return;
        }
        List<CustomerEvent> followUps = enricher.enrich(event);
        followUps.stream().map(e -> events.toEvents(connectorId, instanceId, e)).toList().forEach(output::send);
    }

    @Override
    protected void failed(BrokerMessage message, RuntimeException error) {
        reportToInstance(registry, message, error);
    }
}
