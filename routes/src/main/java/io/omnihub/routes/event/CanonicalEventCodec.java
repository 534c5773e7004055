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
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.jackson.JsonFormat;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
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
     * Validates {@code event} and writes it as CloudEvents JSON.
     *
     * @throws InvalidEventException naming every violation
     */
    public byte[] encode(CustomerEvent event) {
        JsonNode data = mapper.valueToTree(event.data());
        List<String> violations = violations(event, data);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(event.id(), violations);
        }
        CloudEvent cloudEvent = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(URI.create(event.source()))
                .withType(event.type())
                .withTime(event.time())
                .withDataContentType("application/json")
                .withDataSchema(URI.create(CustomerEvent.DATA_SCHEMA))
                .withData(writeBytes(data))
                .build();
        return format.serialize(cloudEvent);
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
        messages.forEach(m -> violations.add("data" + m.getInstanceLocation().toString().substring(1) + ": " + m.getMessage()));
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
