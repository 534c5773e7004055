package io.omnihub.crm;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import java.util.Map;

final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JacksonException e) {
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
        } catch (JacksonException e) {
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
        if (n.isString()) {
            String s = n.stringValue();
            return s.indexOf('\0') >= 0 ? MAPPER.getNodeFactory().stringNode(s.replace("\0", "")) : n;
        }
        if (n.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            n.properties().forEach(e -> out.set(IdentityPolicy.stripNul(e.getKey()), clean(e.getValue())));
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
