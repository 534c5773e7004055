package io.omnihub.routes.stage;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Enricher;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hub.raw} → {@code hub.events}: asks the record's connector instance to normalize it,
 * validates every event against the schema, and queues the events. When the instance enriches, its
 * enricher is asked whether it can answer from memory ({@link Enricher#enrichLocally}): if so, the
 * follow-ups are queued right behind the event; if not, a copy of the event goes to
 * {@code hub.enrich}. An invalid event parks the whole record: half a record is worse than none.
 */
public final class NormalizeStage extends PerMessageStage {

    public static final String STAGE = "normalize";
    private static final Logger LOG = LoggerFactory.getLogger(NormalizeStage.class);

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
        Enricher enricher = instance.enricher().orElse(null);
        List<BrokerMessage> outgoing = new ArrayList<>();
        for (CustomerEvent event : normalized) {
            BrokerMessage toCore = events.toEvents(connectorId, instanceId, event);
            outgoing.add(toCore);
            if (enricher == null) {
                continue;
            }
            Optional<List<BrokerMessage>> known = knownWithoutAsking(enricher, connectorId, instanceId, event);
            if (known.isPresent()) {
                outgoing.addAll(known.get());
            } else {
                // The same validated bytes: an event is serialized and checked once.
                outgoing.add(toCore.withQueue(Queues.ENRICH, Map.of()));
            }
        }
        outgoing.forEach(output::send);
    }

    /**
     * The enricher's answer from memory, bound for {@code hub.events}; empty when it cannot tell, fails
     * or answers an invalid event: the enrich step then asks again, and parks what is wrong there
     * rather than the event that caused it.
     */
    private Optional<List<BrokerMessage>> knownWithoutAsking(Enricher enricher, String connectorId, String instanceId,
                                                            CustomerEvent event) {
        try {
            return enricher.enrichLocally(event).map(followUps -> followUps.stream()
                    .map(followUp -> events.toEvents(connectorId, instanceId, followUp)).toList());
        } catch (RuntimeException e) {
            LOG.debug("normalize: no enrichment from memory, the event goes to the enrich step: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    protected void failed(BrokerMessage message, RuntimeException error) {
        reportToInstance(registry, message, error);
    }
}
