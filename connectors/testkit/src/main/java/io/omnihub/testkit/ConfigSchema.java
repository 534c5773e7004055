package io.omnihub.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaLocation;
import io.omnihub.connector.ConnectorDescriptor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A connector's configuration schema ({@link ConnectorDescriptor#configSchema()}): a JSON Schema,
 * draft 2020-12, for the flat string map under {@code hub.connectors.<connector>.<instance>.*}.
 *
 * <p>What the kit checks, and what the hub may reuse for the same purpose:
 * <ul>
 *   <li>{@link #problems()}: the text is a valid draft 2020-12 schema (checked against the
 *       meta-schema) for an object;</li>
 *   <li>{@link #secretKeys()}: the properties marked {@code "x-secret": true};</li>
 *   <li>{@link #validate(Map)}: a configuration map satisfies the schema.</li>
 * </ul>
 *
 * <p>Configuration values arrive as strings (Spring properties, environment variables). Before a
 * map is validated, a value whose property declares {@code "type": "integer"}, {@code "number"} or
 * {@code "boolean"} (and not {@code "string"}) is converted when it reads as one, so
 * {@code poll-interval-seconds: "60"} satisfies {@code {"type": "integer"}}.
 *
 * <p>Depends on Jackson and networknt json-schema-validator only.
 */
public final class ConfigSchema {

    /** The annotation that marks a secret property: {@code "x-secret": true}. */
    public static final String SECRET_KEYWORD = "x-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode node;

    private ConfigSchema(JsonNode node) {
        this.node = node;
    }

    /**
     * Parses the schema text.
     *
     * @throws IllegalArgumentException when {@code schemaJson} is not JSON or not a JSON object;
     *     the message says what was wrong
     */
    public static ConfigSchema parse(String schemaJson) {
        Objects.requireNonNull(schemaJson, "schemaJson");
        JsonNode parsed;
        try {
            parsed = JSON.readTree(schemaJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config schema is not JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException("config schema is not a JSON object");
        }
        return new ConfigSchema(parsed);
    }

    /** The parsed schema. */
    public JsonNode json() {
        return node;
    }

    /**
     * What makes this an unusable configuration schema, empty when it is fine: violations of the
     * draft 2020-12 meta-schema, a {@code $schema} other than draft 2020-12, a top-level
     * {@code type} other than {@code object}, an {@code x-secret} that is not a boolean, a
     * {@code required} key with no property.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        JsonNode declared = node.get("$schema");
        if (declared != null && !SchemaSupport.DRAFT_2020_12.equals(declared.asText().replaceAll("#$", ""))) {
            problems.add("$schema is " + declared + ", expected \"" + SchemaSupport.DRAFT_2020_12 + "\"");
        }
        try {
            JsonSchema meta = SchemaSupport.FACTORY.getSchema(SchemaLocation.of(SchemaSupport.DRAFT_2020_12),
                    SchemaSupport.CONFIG);
            SchemaSupport.describe(meta.validate(node)).forEach(m -> problems.add("meta-schema: " + m));
        } catch (RuntimeException e) {
            problems.add("meta-schema validation failed: " + e.getMessage());
        }
        JsonNode type = node.get("type");
        if (type == null || !"object".equals(type.asText())) {
            problems.add("top-level \"type\" must be \"object\" (a configuration is a map), was " + type);
        }
        JsonNode properties = node.get("properties");
        if (properties == null || !properties.isObject()) {
            problems.add("no \"properties\": every configuration key must be declared");
        } else {
            properties.fields().forEachRemaining(property -> {
                JsonNode secret = property.getValue().get(SECRET_KEYWORD);
                if (secret != null && !secret.isBoolean()) {
                    problems.add("property '" + property.getKey() + "' has \"" + SECRET_KEYWORD
                            + "\": " + secret + ", expected true or false");
                }
            });
            JsonNode required = node.get("required");
            if (required != null && required.isArray()) {
                required.forEach(key -> {
                    if (!properties.has(key.asText())) {
                        problems.add("required key '" + key.asText() + "' is not declared in \"properties\"");
                    }
                });
            }
        }
        if (problems.isEmpty()) {
            try {
                compile();
            } catch (RuntimeException e) {
                problems.add("schema does not compile: " + e.getMessage());
            }
        }
        return problems;
    }

    /** The declared property names, in declaration order. */
    public Set<String> propertyNames() {
        Set<String> names = new LinkedHashSet<>();
        JsonNode properties = node.get("properties");
        if (properties != null && properties.isObject()) {
            properties.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /** Whether {@code key} is a declared property. */
    public boolean declares(String key) {
        JsonNode properties = node.get("properties");
        return properties != null && properties.has(key);
    }

    /** Whether {@code key} is a declared property marked {@code "x-secret": true}. */
    public boolean isSecret(String key) {
        JsonNode properties = node.get("properties");
        if (properties == null || !properties.has(key)) {
            return false;
        }
        JsonNode secret = properties.get(key).get(SECRET_KEYWORD);
        return secret != null && secret.isBoolean() && secret.booleanValue();
    }

    /** The properties marked {@code "x-secret": true}: the keys the hub never logs or returns. */
    public Set<String> secretKeys() {
        Set<String> keys = new TreeSet<>();
        for (String name : propertyNames()) {
            if (isSecret(name)) {
                keys.add(name);
            }
        }
        return keys;
    }

    /**
     * Validates a configuration map, after converting typed values as the class comment says.
     *
     * @return the violations, e.g. {@code $: required property 'app-id' not found}; empty when valid.
     *     Messages name keys, never values, so they are safe to show.
     * @throws IllegalStateException when the schema itself does not compile (see {@link #problems()})
     */
    public List<String> validate(Map<String, String> config) {
        JsonSchema schema = compile();
        return SchemaSupport.describe(schema.validate(toJson(config)));
    }

    /** The configuration map as the JSON object that is validated. */
    public ObjectNode toJson(Map<String, String> config) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        config.forEach((key, value) -> object.set(key, coerce(key, value)));
        return object;
    }

    private JsonSchema compile() {
        try {
            return SchemaSupport.FACTORY.getSchema(node, SchemaSupport.CONFIG);
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private JsonNode coerce(String key, String value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        Set<String> types = declaredTypes(key);
        if (types.isEmpty() || types.contains("string")) {
            return nodes.textNode(value);
        }
        String text = value.trim();
        try {
            if (types.contains("integer") && text.matches("-?\\d+")) {
                return nodes.numberNode(new BigInteger(text));
            }
            if (types.contains("number") && text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
                return nodes.numberNode(new BigDecimal(text));
            }
        } catch (NumberFormatException e) {
            return nodes.textNode(value);
        }
        if (types.contains("boolean") && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return nodes.booleanNode(Boolean.parseBoolean(text));
        }
        return nodes.textNode(value);
    }

    private Set<String> declaredTypes(String key) {
        Set<String> types = new TreeSet<>();
        JsonNode properties = node.get("properties");
        JsonNode type = properties == null || !properties.has(key) ? null : properties.get(key).get("type");
        if (type == null) {
            return types;
        }
        if (type.isArray()) {
            Iterator<JsonNode> it = type.elements();
            it.forEachRemaining(t -> types.add(t.asText()));
        } else {
            types.add(type.asText());
        }
        return types;
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
