package io.omnihub.routes.stage;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.Queues;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.broker.RawRecords;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code hub.raw} → {@code hub.events}: asks the record's connector instance to normalize it,
 * validates every event against the schema, and queues the events (plus a copy for enrichment when
 * the instance enriches). An invalid event parks the whole record: half a record is worse than none.
 */
public final class NormalizeStage extends PerMessageStage {

    public static final String STAGE = "normalize";

    private final ConnectorRegistry registry;
    private final EventMessages events;

    public NormalizeStage(ConnectorRegistry registry, EventMessages events, Backoff backoff, Clock clock) {
        this(registry, events, backoff, clock, StageObserver.NONE);
    }

    public NormalizeStage(ConnectorRegistry registry, EventMessages events, Backoff backoff, Clock clock, StageObserver observer) {
        super(STAGE, backoff, clock, observer);
        this.registry = registry;
        this.events = events;
    }

    @Override
    protected void handle(BrokerMessage message, StageOutput output) {
        String connectorId = message.stringProperty(Headers.CONNECTOR);
        String instanceId = message.stringProperty(Headers.INSTANCE);
        ConnectorInstance instance = runningInstance(registry, connectorId, instanceId);
        RawRecord record = RawRecords.fromMessage(message);
        List<CustomerEvent> normalized = instance.normalizer().normalize(record);
        boolean enriches = instance.enricher().isPresent();
        List<BrokerMessage> outgoing = new ArrayList<>();
        for (CustomerEvent event : normalized) {
            BrokerMessage toCore = events.toEvents(connectorId, instanceId, event);
            outgoing.add(toCore);
            if (enriches) {
                // The same validated bytes: an event is serialized and checked once.
                outgoing.add(toCore.withQueue(Queues.ENRICH, Map.of()));
            }
        }
        outgoing.forEach(output::send);
    }

    @Override
    protected void failed(BrokerMessage message, RuntimeException error) {
        reportToInstance(registry, message, error);
    }
}
