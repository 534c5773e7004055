package io.omnihub.routes.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.routes.Queues;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a {@link RawRecord} travels on {@code hub.raw}: payload as the body, the rest as properties. */
public final class RawRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawRecords() {
    }

    public static BrokerMessage toMessage(String connectorId, String instanceId, RawRecord record) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Headers.CONNECTOR, connectorId);
        properties.put(Headers.INSTANCE, instanceId);
        properties.put(Headers.RECORD_KEY, record.key());
        properties.put(Headers.CONTENT_TYPE, record.contentType());
        properties.put(Headers.RECEIVED_AT, record.receivedAt().toEpochMilli());
        try {
            properties.put(Headers.ATTRIBUTES, JSON.writeValueAsString(record.attributes()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return BrokerMessage.to(Queues.RAW, record.payload(), properties);
    }

    public static RawRecord fromMessage(BrokerMessage message) {
        Map<String, String> attributes;
        try {
            String json = message.stringProperty(Headers.ATTRIBUTES);
            attributes = json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("raw record attributes are not JSON", e);
        }
        String contentType = message.stringProperty(Headers.CONTENT_TYPE);
        return new RawRecord(message.stringProperty(Headers.RECORD_KEY),
                contentType == null ? "application/octet-stream" : contentType,
                message.body(), attributes,
                Instant.ofEpochMilli(message.longProperty(Headers.RECEIVED_AT, 0)));
    }
}
