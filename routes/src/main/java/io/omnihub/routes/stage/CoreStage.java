package io.omnihub.routes.stage;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.BatchResult;
import io.omnihub.crm.CrmCore;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetters;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.event.InvalidEventException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hub.events} → CRM core: applies a whole batch in one database transaction (idempotent per
 * event id). Events the core refuses are parked with its reason; events it suppresses (they carry an
 * erased customer's identifier) are acknowledged and kept nowhere; a database failure rolls the batch
 * back so the broker redelivers it.
 */
public final class CoreStage implements Processor {

    public static final String STAGE = "core";
    private static final Logger LOG = LoggerFactory.getLogger(CoreStage.class);

    private final CrmCore crm;
    private final EventMessages events;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final StageObserver observer;

    public CoreStage(CrmCore crm, EventMessages events, Clock clock) {
        this(crm, events, clock, StageObserver.NONE);
    }

    public CoreStage(CrmCore crm, EventMessages events, Clock clock, StageObserver observer) {
        this.crm = crm;
        this.events = events;
        this.deadLetters = new DeadLetters(clock);
        this.clock = clock;
        this.observer = observer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        List<BrokerMessage> batch = exchange.getIn().getBody(List.class);
        StageOutput output = exchange.getProperty(JmsBatchComponent.OUTPUT, StageOutput.class);
        List<CustomerEvent> decoded = new ArrayList<>(batch.size());
        List<BrokerMessage> carriers = new ArrayList<>(batch.size());
        long started = System.nanoTime();
        for (BrokerMessage message : batch) {
            try {
                decoded.add(events.decode(message));
                carriers.add(message);
            } catch (InvalidEventException e) {
                LOG.warn("core: message {} is not a valid event, parked: {}", message.messageId(), e.getMessage());
                output.send(deadLetters.park(message, STAGE, e));
                observe(message, StageObserver.Outcome.DEAD_LETTERED, Duration.ZERO, "InvalidEventException: " + e.getMessage());
            }
        }
        if (decoded.isEmpty()) {
            return;
        }
        // Outcomes come back in input order; pairing by position also holds when a batch carries the
        // same event id twice (a redelivery next to the original).
        List<BatchResult.Outcome> outcomes = crm.apply(decoded).outcomes();
        // One transaction for the batch: each event's share of it is what it cost.
        Duration share = Duration.ofNanos((System.nanoTime() - started) / decoded.size());
        long now = clock.millis();
        for (int i = 0; i < outcomes.size(); i++) {
            BatchResult.Outcome outcome = outcomes.get(i);
            BrokerMessage message = carriers.get(i);
            if (outcome.status() == BatchResult.Status.SUPPRESSED) {
                // an erased customer's event: acknowledged and kept nowhere, its id not logged (it may name them)
                LOG.debug("core: an event was suppressed: {}", outcome.reason());
                observe(message, StageObserver.Outcome.OK, share, null);
                observer.suppressed(message.stringProperty(Headers.CONNECTOR), message.stringProperty(Headers.INSTANCE));
            } else if (outcome.status() == BatchResult.Status.REJECTED) {
                LOG.warn("core: event {} refused, parked: {}", outcome.eventId(), outcome.reason());
                output.send(deadLetters.park(message, STAGE, "EventRejected", outcome.reason()));
                observe(message, StageObserver.Outcome.DEAD_LETTERED, share, "EventRejected: " + outcome.reason());
            } else {
                observe(message, StageObserver.Outcome.OK, share, null);
                observer.applied(message.stringProperty(Headers.CONNECTOR), message.stringProperty(Headers.INSTANCE),
                        Duration.ofMillis(Math.max(0, now - decoded.get(i).data().receivedAt().toInstant().toEpochMilli())));
            }
        }
    }

    private void observe(BrokerMessage message, StageObserver.Outcome outcome, Duration took, String error) {
        observer.handled(STAGE, message.stringProperty(Headers.CONNECTOR), message.stringProperty(Headers.INSTANCE),
                outcome, took, error);
    }
}
