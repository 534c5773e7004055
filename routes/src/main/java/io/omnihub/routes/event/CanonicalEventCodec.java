package io.omnihub.routes.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.jackson.JsonFormat;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes and reads canonical events in the CloudEvents 1.0 JSON format and checks them against
 * {@code customer-event.schema.json}: the one place the pipeline decides what a valid event is.
 */
public final class CanonicalEventCodec {

    /** The CloudEvents JSON media type the events travel as. */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private static final Pattern SOURCE = Pattern.compile("^/connectors/[a-z][a-z0-9-]{1,31}/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
    private static final Pattern TYPE = Pattern.compile("^[a-z]+(\\.[a-z_]+)+$");

    private final ObjectMapper mapper;
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final JsonFormat format = new JsonFormat();
    private final JsonSchema schema;

    public CanonicalEventCodec() {
        this.mapper = newMapper();
        try (InputStream in = CustomerEvent.class.getResourceAsStream(CustomerEvent.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("connector-api is missing " + CustomerEvent.SCHEMA_RESOURCE);
            }
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mapper used for event data; also fine for anything else that carries events as JSON. */
    public static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // Bounded nesting: a hostile payload must not exhaust the stack.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        return mapper;
    }

    /**
     * Validates {@code event} and writes it as CloudEvents JSON (structured mode, data inline).
     * Written directly with Jackson rather than through the SDK's writer, which would serialize the
     * data, parse it back and serialize it again: this runs for every event the hub carries.
     * {@code CanonicalEventCodecTest} proves the CloudEvents SDK reads the result.
     *
     * @throws InvalidEventException naming every violation
     */
    public byte[] encode(CustomerEvent event) {
        JsonNode data = mapper.valueToTree(event.data());
        List<String> violations = violations(event, data);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(event.id(), violations);
        }
        ObjectNode envelope = mapper.createObjectNode()
                .put("specversion", CustomerEvent.SPEC_VERSION)
                .put("id", event.id())
                .put("source", event.source())
                .put("type", event.type())
                .put("datacontenttype", "application/json")
                .put("dataschema", CustomerEvent.DATA_SCHEMA)
                .put("time", RFC_3339.format(event.time()));
        envelope.set("data", data);
        return writeBytes(envelope);
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
            throw new InvalidEventException(cloudEvent.getId(), List.of("data is missing"));
        }
        try {
            JsonNode data = mapper.readTree(cloudEvent.getData().toBytes());
            CustomerEvent event = new CustomerEvent(cloudEvent.getId(), cloudEvent.getSource().toString(),
                    cloudEvent.getType(), cloudEvent.getTime(), mapper.treeToValue(data, CustomerEventData.class));
            List<String> violations = violations(event, data);
            if (!violations.isEmpty()) {
                throw new InvalidEventException(event.id(), violations);
            }
            return event;
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventException(cloudEvent.getId(), List.of("data does not match the schema: " + e.getMessage()));
        }
    }

    /** Every way {@code event} breaks the canonical-event rules; empty when it is valid. */
    public List<String> violations(CustomerEvent event) {
        return violations(event, mapper.valueToTree(event.data()));
    }

    private List<String> violations(CustomerEvent event, JsonNode data) {
        List<String> violations = new ArrayList<>();
        if (event.id().isBlank() || event.id().length() > 512) {
            violations.add("id must be 1..512 characters");
        }
        if (!SOURCE.matcher(event.source()).matches()) {
            violations.add("source must look like /connectors/<connector>/<instance>: " + event.source());
        }
        if (!TYPE.matcher(event.type()).matches()) {
            violations.add("type must look like noun.verb: " + event.type());
        }
        Set<ValidationMessage> messages = schema.validate(data);
        // networknt names the place as "$.identities[0]..."; within an event that place is "data".
        messages.forEach(m -> violations.add(m.getMessage().startsWith("$") ? "data" + m.getMessage().substring(1) : m.getMessage()));
        return violations;
    }

    private byte[] writeBytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
