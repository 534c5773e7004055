package io.omnihub.hub.api;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Enricher;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.InstanceUnavailableException;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetters;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.broker.RawJournal;
import io.omnihub.routes.event.CanonicalEventCodec;
import io.omnihub.routes.event.InvalidEventException;
import io.omnihub.routes.ingress.WebhookLimits;
import io.omnihub.routes.stage.EnrichmentFollowUps;
import io.omnihub.routes.stage.EventMessages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Canonical events from systems without a connector (a shop's cart, a web form, a help desk, a
 * churn model): CloudEvents 1.0 JSON, one event or an array of them. They are checked exactly as a
 * connector's events are ({@link CanonicalEventCodec#decode}) and join the same pipeline at
 * {@code hub.events}; the answer comes once they are durable in the broker.
 */
@RestController
@RequestMapping(path = "/api/v1/events", produces = "application/json")
@Tag(name = "events", description = "Canonical events from systems without a connector")
public class EventsController {

    /** The most events one request may carry. */
    static final int MAX_EVENTS = 500;
    static final String STAGE = "api";
    private static final Logger LOG = LoggerFactory.getLogger(EventsController.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CanonicalEventCodec codec;
    private final EventMessages events;
    private final EnrichmentFollowUps followUps;
    private final RawJournal journal;
    private final ConnectorRegistry registry;
    private final long maxBodyBytes;
    private final DeadLetters deadLetters;

    public EventsController(CanonicalEventCodec codec, EventMessages events, RawJournal journal, ConnectorRegistry registry,
                            WebhookLimits limits, Clock clock) {
        this.codec = codec;
        this.events = events;
        this.followUps = new EnrichmentFollowUps(events);
        this.journal = journal;
        this.registry = registry;
        this.maxBodyBytes = limits.maxBodyBytes();
        this.deadLetters = new DeadLetters(clock);
    }

    /**
     * @param accepted how many events were queued
     * @param ids      their ids, in order
     */
    public record Accepted(int accepted, List<String> ids) {
    }

    @PostMapping(consumes = {"application/json", "application/cloudevents+json", "application/cloudevents-batch+json"})
    @Operation(summary = "Queue canonical events (CloudEvents JSON, one or an array); 202 once durable. "
            + "When any event is invalid none is queued: 400 names each problem, and the invalid ones are parked on hub.dlq")
    public ResponseEntity<?> post(@RequestBody byte[] body) {
        if (body.length > maxBodyBytes) {
            throw problem(HttpStatus.PAYLOAD_TOO_LARGE, "the body is larger than " + maxBodyBytes + " bytes");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JacksonException e) {
            throw ApiProblems.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !(tree.isObject() || tree.isArray())) {
            throw ApiProblems.badRequest("the body must be a CloudEvents JSON object or an array of them");
        }
        List<byte[]> raw = new ArrayList<>();
        if (tree.isArray()) {
            if (tree.isEmpty() || tree.size() > MAX_EVENTS) {
                throw ApiProblems.badRequest("a batch holds 1 to " + MAX_EVENTS + " events, this one " + tree.size());
            }
            for (JsonNode item : tree) {
                raw.add(item.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } else {
            raw.add(body);
        }
        List<BrokerMessage> queued = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        List<BrokerMessage> invalid = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            try {
                CustomerEvent event = codec.decode(raw.get(i));
                String[] parts = event.source().split("/");
                BrokerMessage message = events.toEvents(parts[2], parts[3], event);
                queued.add(message);
                ids.add(event.id());
                Enricher enricher;
                try {
                    enricher = registry.find(parts[2], parts[3]).flatMap(ConnectorInstance::enricher).orElse(null);
                } catch (InstanceUnavailableException e) {
                    // Closing now: queued without its enrichment, the event would miss it for good.
                    throw ApiProblems.unavailable("connector instance " + parts[2] + "/" + parts[3]
                            + " is restarting; send the events again");
                }
                if (enricher != null) {
                    queued.addAll(followUps.of(enricher, parts[2], parts[3], event, message));
                }
            } catch (InvalidEventException e) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("index", i);
                error.put("problem", e.getMessage());
                errors.add(error);
                invalid.add(deadLetters.park(BrokerMessage.to(Queues.EVENTS, raw.get(i), Map.of(Headers.CONNECTOR, "api",
                        Headers.INSTANCE, "events")), STAGE, e));
            }
        }
        if (!errors.isEmpty()) {
            durable(invalid);
            LOG.warn("api: refused {} of {} events, parked on the dead-letter queue", errors.size(), raw.size());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    errors.size() + " of " + raw.size() + " events are not valid canonical events; none was queued");
            problem.setTitle("Bad Request");
            problem.setProperty("errors", errors);
            return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        durable(queued);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(ids.size(), ids));
    }

    private void durable(List<BrokerMessage> messages) {
        try {
            journal.appendAll(messages).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblems.unavailable("interrupted while the broker persisted the events; send them again");
        } catch (ExecutionException | TimeoutException e) {
            throw ApiProblems.unavailable("the broker could not persist the events; send them again");
        }
    }

    private static org.springframework.web.ErrorResponseException problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        return new org.springframework.web.ErrorResponseException(status, problem, null);
    }
}
