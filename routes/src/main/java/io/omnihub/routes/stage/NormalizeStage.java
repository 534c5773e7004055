package io.omnihub.routes.stage;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Enricher;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.broker.RawRecords;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hub.raw} → {@code hub.events}: asks the record's connector instance to normalize it,
 * validates every event against the schema, and queues the events. When the instance enriches, its
 * {@link EnrichmentFollowUps} decide what follows each event: its follow-ups right behind it when the
 * enricher can answer from memory, else a copy of the event for {@code hub.enrich}. An invalid event
 * parks the whole record: half a record is worse than none.
 */
public final class NormalizeStage extends PerMessageStage {

    public static final String STAGE = "normalize";

    private final ConnectorRegistry registry;
    private final EventMessages events;
    private final EnrichmentFollowUps followUps;

    public NormalizeStage(ConnectorRegistry registry, EventMessages events, Backoff backoff, Clock clock) {
        this(registry, events, backoff, clock, StageObserver.NONE);
    }

    public NormalizeStage(ConnectorRegistry registry, EventMessages events, Backoff backoff, Clock clock, StageObserver observer) {
        super(STAGE, backoff, clock, observer);
        this.registry = registry;
        this.events = events;
        this.followUps = new EnrichmentFollowUps(events);
    }

    @Override
    protected void handle(BrokerMessage message, StageOutput output) {
        String connectorId = message.stringProperty(Headers.CONNECTOR);
        String instanceId = message.stringProperty(Headers.INSTANCE);
        ConnectorInstance instance = runningInstance(registry, connectorId, instanceId);
        RawRecord record = RawRecords.fromMessage(message);
        List<CustomerEvent> normalized = instance.normalizer().normalize(record);
        Enricher enricher = instance.enricher().orElse(null);
        List<BrokerMessage> outgoing = new ArrayList<>();
        for (CustomerEvent event : normalized) {
            BrokerMessage toCore = events.toEvents(connectorId, instanceId, event);
            outgoing.add(toCore);
            if (enricher != null) {
                outgoing.addAll(followUps.of(enricher, connectorId, instanceId, event, toCore));
            }
        }
        outgoing.forEach(output::send);
    }

    @Override
    protected void failed(BrokerMessage message, RuntimeException error) {
        reportToInstance(registry, message, error);
    }
}
