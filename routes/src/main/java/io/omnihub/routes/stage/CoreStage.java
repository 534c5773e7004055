package io.omnihub.routes.stage;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.BatchResult;
import io.omnihub.crm.CrmCore;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetters;
import io.omnihub.routes.event.InvalidEventException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hub.events} → CRM core: applies a whole batch in one database transaction (idempotent per
 * event id). Events the core refuses are parked with its reason; a database failure rolls the batch
 * back so the broker redelivers it.
 */
public final class CoreStage implements Processor {

    public static final String STAGE = "core";
    private static final Logger LOG = LoggerFactory.getLogger(CoreStage.class);

    private final CrmCore crm;
    private final EventMessages events;
    private final DeadLetters deadLetters;

    public CoreStage(CrmCore crm, EventMessages events, Clock clock) {
        this.crm = crm;
        this.events = events;
        this.deadLetters = new DeadLetters(clock);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        List<BrokerMessage> batch = exchange.getIn().getBody(List.class);
        StageOutput output = exchange.getProperty(JmsBatchComponent.OUTPUT, StageOutput.class);
        List<CustomerEvent> decoded = new ArrayList<>(batch.size());
        Map<String, BrokerMessage> messageByEventId = new HashMap<>();
        for (BrokerMessage message : batch) {
            try {
                CustomerEvent event = events.decode(message);
                decoded.add(event);
                messageByEventId.put(event.id(), message);
            } catch (InvalidEventException e) {
                LOG.warn("core: message {} is not a valid event, parked: {}", message.messageId(), e.getMessage());
                output.send(deadLetters.park(message, STAGE, e));
            }
        }
        if (decoded.isEmpty()) {
            return;
        }
        BatchResult result = crm.apply(decoded);
        for (BatchResult.Outcome outcome : result.outcomes()) {
            if (outcome.status() == BatchResult.Status.REJECTED) {
                BrokerMessage message = messageByEventId.get(outcome.eventId());
                LOG.warn("core: event {} refused, parked: {}", outcome.eventId(), outcome.reason());
                output.send(deadLetters.park(message, STAGE, "EventRejected", outcome.reason()));
            }
        }
    }
}
