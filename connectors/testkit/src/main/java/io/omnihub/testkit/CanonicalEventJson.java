package io.omnihub.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import java.io.UncheckedIOException;

/**
 * How a {@link CustomerEvent} is written as JSON: the CloudEvents 1.0 JSON format with
 * {@code datacontenttype} {@code application/json}, {@code dataschema}
 * {@value CustomerEvent#DATA_SCHEMA} and the {@link CustomerEventData} as {@code data}.
 *
 * <p>Times are ISO-8601 strings that keep their offset ({@code 2024-05-20T18:00:00+08:00}), never
 * epoch numbers. The acceptance kit validates exactly this form, so what passes here is what the
 * hub puts on {@code hub.events}.
 *
 * <p>Depends on Jackson only (no JUnit, no WireMock), so the runtime may reuse it as it is.
 */
public final class CanonicalEventJson {

    private static final ObjectMapper MAPPER = newMapper();

    private CanonicalEventJson() {
    }

    /**
     * A new {@link ObjectMapper} configured as the hub writes events: {@link JavaTimeModule},
     * {@link SerializationFeature#WRITE_DATES_AS_TIMESTAMPS} off, offsets kept when reading back.
     * Each call returns a fresh instance the caller may configure further.
     */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }

    /** A shared, already configured mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The event's {@code data} as a JSON tree, written as the hub writes it.
     *
     * @throws UncheckedIOException when a value in {@code attributes} or {@code extra} cannot be
     *     written as JSON
     */
    public static JsonNode dataTree(CustomerEventData data) {
        try {
            return MAPPER.readTree(MAPPER.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole event in the CloudEvents JSON format, as a tree. */
    public static ObjectNode toTree(CustomerEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("specversion", CustomerEvent.SPEC_VERSION);
        node.put("id", event.id());
        node.put("source", event.source());
        node.put("type", event.type());
        node.set("time", MAPPER.valueToTree(event.time()));
        node.put("datacontenttype", "application/json");
        node.put("dataschema", CustomerEvent.DATA_SCHEMA);
        node.set("data", dataTree(event.data()));
        return node;
    }

    /** The whole event in the CloudEvents JSON format. */
    public static String toJson(CustomerEvent event) {
        try {
            return MAPPER.writeValueAsString(toTree(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
