package io.omnihub.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode object(String json) {
        if (json == null || json.isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            return n instanceof ObjectNode o ? o : MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad JSON in database: " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    static Map<String, Object> toMap(JsonNode node) {
        return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {
        });
    }

    static Object toJava(JsonNode node) {
        return MAPPER.convertValue(node, Object.class);
    }

    /** Removes NUL characters (PostgreSQL text and jsonb cannot hold them) from every string. */
    static JsonNode clean(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isTextual()) {
            String s = n.textValue();
            return s.indexOf('\0') >= 0 ? MAPPER.getNodeFactory().textNode(s.replace("\0", "")) : n;
        }
        if (n.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            n.fields().forEachRemaining(e -> out.set(IdentityPolicy.stripNul(e.getKey()), clean(e.getValue())));
            return out;
        }
        if (n.isArray()) {
            var out = MAPPER.createArrayNode();
            n.forEach(x -> out.add(clean(x)));
            return out;
        }
        return n;
    }
}
