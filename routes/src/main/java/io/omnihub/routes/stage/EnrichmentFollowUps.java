package io.omnihub.routes.stage;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Enricher;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows an event of an instance that enriches, wherever the event enters the pipeline (the
 * normalize stage, the events API): the follow-ups themselves, bound for {@code hub.events}, when
 * the enricher can answer from memory ({@link Enricher#enrichLocally}); otherwise a copy of the
 * event for {@code hub.enrich}, whose step asks the channel. Answering from memory saves the event a
 * trip through the broker.
 */
public final class EnrichmentFollowUps {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentFollowUps.class);

    private final EventMessages events;

    public EnrichmentFollowUps(EventMessages events) {
        this.events = events;
    }

    /**
     * The messages to send right after {@code toCore}.
     *
     * @param toCore the event as {@link EventMessages#toEvents} made it; its validated bytes are what
     *               goes to {@code hub.enrich}, so an event is serialized and checked once
     * @return the follow-ups bound for {@code hub.events} (none when the enricher knows there is
     *     nothing to add), or the event's copy bound for {@code hub.enrich}
     */
    public List<BrokerMessage> of(Enricher enricher, String connectorId, String instanceId, CustomerEvent event,
                                  BrokerMessage toCore) {
        return fromMemory(enricher, connectorId, instanceId, event)
                .orElseGet(() -> List.of(toCore.withQueue(Queues.ENRICH, Map.of())));
    }

    /**
     * The enricher's answer from memory; empty when it cannot tell, fails or answers an invalid event:
     * the enrich step then asks again, and parks what is wrong there rather than the event that caused it.
     */
    private Optional<List<BrokerMessage>> fromMemory(Enricher enricher, String connectorId, String instanceId,
                                                     CustomerEvent event) {
        try {
            return enricher.enrichLocally(event).map(followUps -> followUps.stream()
                    .map(followUp -> events.toEvents(connectorId, instanceId, followUp)).toList());
        } catch (RuntimeException e) {
            LOG.debug("no enrichment from memory for {}/{}, the event goes to the enrich step: {}",
                    connectorId, instanceId, e.toString());
            return Optional.empty();
        }
    }
}
