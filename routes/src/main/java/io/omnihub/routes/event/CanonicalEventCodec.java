package io.omnihub.routes.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.jackson.JsonFormat;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import io.omnihub.connector.schema.CanonicalEventJson;
import io.omnihub.connector.schema.CanonicalEventValidator;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Writes and reads canonical events in the CloudEvents 1.0 JSON format ({@link CanonicalEventJson})
 * and decides, at the pipeline's edges, whether an event is valid: the rules are
 * {@link CanonicalEventValidator}'s (envelope plus {@code customer-event.schema.json}), the same the
 * connector acceptance kit applies. The schema is compiled once, when the codec is created; events
 * are validated by {@link #encode} and {@link #decode}, not by {@link #decodeTrusted}.
 * Thread-safe: one instance serves the whole pipeline.
 */
public final class CanonicalEventCodec {

    /** The CloudEvents JSON media type the events travel as. */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private final ObjectMapper mapper = CanonicalEventJson.mapper();
    private final JsonFormat format = new JsonFormat();
    private final CanonicalEventValidator validator;

    public CanonicalEventCodec() {
        this.validator = CanonicalEventValidator.create();
    }

    /** The mapper used for event data: {@link CanonicalEventJson#newMapper()}. */
    public static ObjectMapper newMapper() {
        return CanonicalEventJson.newMapper();
    }

    /**
     * Validates {@code event} and writes it as CloudEvents JSON (structured mode, data inline).
     * Written directly with Jackson rather than through the SDK's writer, which would serialize the
     * data, parse it back and serialize it again: this runs for every event the hub carries. The
     * data is written to a tree once; that tree is validated and sent.
     * {@code CanonicalEventCodecTest} proves the CloudEvents SDK reads the result.
     *
     * @throws InvalidEventException naming every violation
     */
    public byte[] encode(CustomerEvent event) {
        JsonNode data = CanonicalEventJson.dataTree(event.data());
        List<String> violations = validator.validate(event, data);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(event.id(), violations);
        }
        return CanonicalEventJson.toBytes(CanonicalEventJson.toTree(event, data));
    }

    /**
     * Reads an event this hub wrote with {@link #encode} and therefore already validated: the
     * pipeline's later stages skip the schema check they would otherwise repeat for every event.
     * Input from outside the hub goes through {@link #decode} instead.
     */
    public CustomerEvent decodeTrusted(byte[] json) {
        try {
            JsonNode envelope = mapper.readTree(json);
            return new CustomerEvent(envelope.path("id").asText(), envelope.path("source").asText(),
                    envelope.path("type").asText(), OffsetDateTime.parse(envelope.path("time").asText()),
                    mapper.treeToValue(envelope.path("data"), CustomerEventData.class));
        } catch (IOException | RuntimeException e) {
            throw new InvalidEventException("?", List.of("not an event written by this hub: " + e.getMessage()));
        }
    }

    /**
     * Reads an event written by {@link #encode}, or sent by a system speaking CloudEvents JSON.
     *
     * @throws InvalidEventException when it is not a valid canonical event
     */
    public CustomerEvent decode(byte[] json) {
        CloudEvent cloudEvent;
        try {
            cloudEvent = format.deserialize(json);
        } catch (EventDeserializationException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidEventException("?", List.of("not a CloudEvents 1.0 JSON event: " + e.getMessage()));
        }
        if (cloudEvent.getData() == null) {
            throw new InvalidEventException(cloudEvent.getId(), List.of("$.data: is missing"));
        }
        if (cloudEvent.getTime() == null) {
            throw new InvalidEventException(cloudEvent.getId(), List.of("$.time: is missing"));
        }
        try {
            JsonNode data = mapper.readTree(cloudEvent.getData().toBytes());
            CustomerEvent event = new CustomerEvent(cloudEvent.getId(), cloudEvent.getSource().toString(),
                    cloudEvent.getType(), cloudEvent.getTime(), mapper.treeToValue(data, CustomerEventData.class));
            List<String> violations = validator.validate(event, data);
            if (!violations.isEmpty()) {
                throw new InvalidEventException(event.id(), violations);
            }
            return event;
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventException(cloudEvent.getId(), List.of("$.data: does not match the schema: " + e.getMessage()));
        }
    }

    /**
     * Every way {@code event} breaks the canonical-event rules, e.g.
     * {@code $.data.identities[0]: required property 'namespace' not found}; empty when it is valid.
     * See {@link CanonicalEventValidator#validate(CustomerEvent)}.
     */
    public List<String> violations(CustomerEvent event) {
        return validator.validate(event);
    }
}
