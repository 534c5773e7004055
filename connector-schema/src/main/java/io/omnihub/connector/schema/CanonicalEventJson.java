package io.omnihub.connector.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;

/**
 * How a {@link CustomerEvent} is written as JSON: the CloudEvents 1.0 JSON format (structured
 * mode, data inline) with {@code datacontenttype} {@code application/json}, {@code dataschema}
 * {@value CustomerEvent#DATA_SCHEMA} and the {@link CustomerEventData} as {@code data}:
 *
 * <pre>{@code
 * {"specversion":"1.0","id":"wechat:wx…:1234567890123456","source":"/connectors/wechat/brand-oa",
 *  "type":"message.received","datacontenttype":"application/json",
 *  "dataschema":"https://omnihub.io/schemas/customer-event/1.0","time":"2012-09-28T19:31:00+08:00",
 *  "data":{"receivedAt":"2012-09-28T19:31:01+08:00","identities":[…],"message":{…}}}
 * }</pre>
 *
 * <p>Times are RFC 3339 strings that keep their offset ({@code 2024-05-20T18:00:00+08:00}), never
 * epoch numbers; empty collections and absent parts of {@code data} are left out. This is exactly
 * what the hub puts on {@code hub.events} and what {@link CanonicalEventValidator} and the
 * acceptance kit check.
 *
 * <p>All methods are thread-safe.
 */
public final class CanonicalEventJson {

    /** How deep a JSON document read with {@link #newMapper()} may nest: a hostile payload must not exhaust the stack. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final ObjectMapper MAPPER = newMapper();

    private CanonicalEventJson() {
    }

    /**
     * A new {@link ObjectMapper} configured as the hub writes and reads events: {@link
     * JavaTimeModule}, dates as RFC 3339 strings (not timestamps), offsets kept when reading back,
     * unknown properties ignored when reading (the schema, not the mapper, decides what is
     * allowed), objects without properties written as {@code {}}, nesting limited to
     * {@value #MAX_NESTING_DEPTH}. Each call returns a fresh instance the caller may configure further.
     */
    public static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
        return mapper;
    }

    /** A shared mapper configured as {@link #newMapper()} says; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The event's {@code data} as a JSON tree, written as the hub writes it.
     *
     * @throws IllegalArgumentException when a value in {@code attributes} or {@code extra} cannot
     *     be written as JSON
     */
    public static JsonNode dataTree(CustomerEventData data) {
        return MAPPER.valueToTree(data);
    }

    /** The whole event in the CloudEvents JSON format, as a tree. */
    public static ObjectNode toTree(CustomerEvent event) {
        return toTree(event, dataTree(event.data()));
    }

    /**
     * The event in the CloudEvents JSON format, as a tree, with {@code data} already written (for
     * a caller that has validated that very tree and should not write the data twice).
     *
     * @param data {@code dataTree(event.data())}
     */
    public static ObjectNode toTree(CustomerEvent event, JsonNode data) {
        ObjectNode envelope = MAPPER.createObjectNode()
                .put("specversion", CustomerEvent.SPEC_VERSION)
                .put("id", event.id())
                .put("source", event.source())
                .put("type", event.type())
                .put("datacontenttype", "application/json")
                .put("dataschema", CustomerEvent.DATA_SCHEMA)
                .put("time", RFC_3339.format(event.time()));
        envelope.set("data", data);
        return envelope;
    }

    /** The whole event in the CloudEvents JSON format. */
    public static String toJson(CustomerEvent event) {
        try {
            return MAPPER.writeValueAsString(toTree(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole event in the CloudEvents JSON format, as UTF-8 bytes. */
    public static byte[] toBytes(CustomerEvent event) {
        return toBytes(toTree(event));
    }

    /** A tree from {@link #toTree} as UTF-8 bytes. */
    public static byte[] toBytes(JsonNode envelope) {
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
