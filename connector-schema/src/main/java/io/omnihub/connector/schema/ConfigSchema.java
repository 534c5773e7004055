package io.omnihub.connector.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaLocation;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.InstanceConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A connector's configuration schema ({@link ConnectorDescriptor#configSchema()}): a JSON Schema,
 * draft 2020-12, for the flat string map an instance is configured with
 * ({@code hub.connectors.<connector>.<instance>.<key>}).
 *
 * <p>The acceptance kit and the hub use this one class, so a configuration the kit accepts is one
 * the hub accepts:
 * <ul>
 *   <li>{@link #problems()}: whether the text is a usable schema (the kit's {@code descriptor-valid}
 *       rule);</li>
 *   <li>{@link #secretKeys()}: the properties marked {@code "x-secret": true}, whose values the hub
 *       never logs, shows or returns ({@link InstanceConfig#masked()});</li>
 *   <li>{@link #validate(Map)}: whether an instance's configuration satisfies the schema. The hub
 *       marks an instance {@code FAILED} with these messages when it does not.</li>
 * </ul>
 *
 * <p><b>Strings read as the declared type.</b> Configuration values arrive as strings (Spring
 * properties, environment variables, the REST API). Before a map is validated, a value whose
 * property declares {@code "type": "integer"}, {@code "number"} or {@code "boolean"} (and not
 * {@code "string"}) is converted when it reads as one, so {@code poll-interval-seconds: "60"}
 * satisfies {@code {"type": "integer", "minimum": 10}} and {@code "5"} is reported as below the
 * minimum. A value that does not read as the declared type stays a string and is reported as one
 * ({@code string found, integer expected}).
 *
 * <p><b>Messages.</b> Violations are English, whatever the JVM's locale, and start with the JSON
 * path of the key: {@code $: required property 'token' not found},
 * {@code $['encoding-aes-key']: does not match the regex pattern ^[A-Za-z0-9+/]{43}$}. They name
 * keys and the schema's constraints, never the configured values, so they are safe to log and
 * show; as a second line of defence the value of any secret key is masked should it appear.
 * Formats ({@code "format": "uri"}) are asserted, not just annotations.
 *
 * <p>Instances are immutable and thread-safe; the schema is compiled on first use and then reused.
 */
public final class ConfigSchema {

    /** The annotation that marks a secret property: {@code "x-secret": true}. */
    public static final String SECRET_KEYWORD = "x-secret";

    /** What replaces a secret value in a message. */
    static final String MASK = "******";

    /** Secret values shorter than this are not searched for in messages: too likely to be a word. */
    private static final int MIN_MASKED_LENGTH = 4;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    private final JsonNode node;
    private volatile JsonSchema compiled;

    private ConfigSchema(JsonNode node) {
        this.node = node;
    }

    /**
     * Parses the schema text. Parsing does not check that it is a usable schema: see
     * {@link #problems()}.
     *
     * @param schemaJson the schema, usually {@link ConnectorDescriptor#configSchema()}
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

    /** The parsed schema. Do not modify it. */
    public JsonNode json() {
        return node;
    }

    /**
     * What makes this an unusable configuration schema, empty when it is fine: violations of the
     * draft 2020-12 meta-schema, a {@code $schema} other than draft 2020-12, a top-level
     * {@code type} other than {@code object}, no {@code properties}, an {@code x-secret} that is
     * not a boolean, a {@code required} key with no property, a schema that does not compile.
     *
     * @return one English message per problem, e.g. {@code top-level "type" must be "object" (a
     *     configuration is a map), was "objekt"}
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        JsonNode declared = node.get("$schema");
        if (declared != null && !JsonSchemas.DRAFT_2020_12.equals(declared.asText().replaceAll("#$", ""))) {
            problems.add("$schema is " + declared + ", expected \"" + JsonSchemas.DRAFT_2020_12 + "\"");
        }
        try {
            JsonSchema meta = JsonSchemas.FACTORY.getSchema(SchemaLocation.of(JsonSchemas.DRAFT_2020_12), JsonSchemas.CONFIG);
            JsonSchemas.describe(meta.validate(node)).forEach(m -> problems.add("meta-schema: " + m));
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
                compiled();
            } catch (IllegalStateException e) {
                problems.add(e.getMessage());
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
        return properties != null && properties.isObject() && properties.has(key);
    }

    /**
     * Whether {@code key} is a declared property marked secret. {@code "x-secret": true} is the
     * only correct marking; a non-boolean such as {@code "true"} or {@code 1} is a {@link
     * #problems() problem}, but is still read as "secret" (true, {@code "true"}, non-zero): when
     * in doubt the hub would rather mask a value than show it.
     */
    public boolean isSecret(String key) {
        if (!declares(key)) {
            return false;
        }
        JsonNode secret = node.get("properties").get(key).get(SECRET_KEYWORD);
        return secret != null && secret.asBoolean(false);
    }

    /**
     * The properties marked secret (see {@link #isSecret(String)}), sorted: the keys whose values
     * the hub never logs, shows or returns. Hand them to {@link InstanceConfig}.
     */
    public Set<String> secretKeys() {
        Set<String> keys = new TreeSet<>();
        for (String name : propertyNames()) {
            if (isSecret(name)) {
                keys.add(name);
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    /**
     * Validates an instance's configuration, after reading typed values as the class comment says.
     *
     * @param config the configuration as the hub holds it: kebab-case keys, string values
     * @return the violations, sorted, e.g. {@code $: required property 'app-id' not found}; empty
     *     when the configuration is valid. Messages name keys, never values, so they are safe to
     *     log and show.
     * @throws IllegalStateException when the schema itself does not compile or cannot be applied
     *     (see {@link #problems()}); that is the connector's fault, not the operator's
     */
    public List<String> validate(Map<String, String> config) {
        JsonSchema schema = compiled();
        List<String> violations;
        try {
            violations = JsonSchemas.describe(schema.validate(toJson(config)));
        } catch (RuntimeException e) {
            throw new IllegalStateException("config schema cannot be applied: " + e.getMessage(), e);
        }
        if (violations.isEmpty()) {
            return violations;
        }
        List<String> secrets = config.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().length() >= MIN_MASKED_LENGTH && isSecret(e.getKey()))
                .map(Map.Entry::getValue)
                .toList();
        if (secrets.isEmpty()) {
            return violations;
        }
        return violations.stream().map(v -> {
            String masked = v;
            for (String secret : secrets) {
                masked = masked.replace(secret, MASK);
            }
            return masked;
        }).toList();
    }

    /**
     * The configuration map as the JSON object that {@link #validate(Map)} checks: typed values
     * converted as the class comment says, everything else a string.
     */
    public ObjectNode toJson(Map<String, String> config) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        config.forEach((key, value) -> object.set(key, coerce(key, value)));
        return object;
    }

    private JsonSchema compiled() {
        JsonSchema schema = compiled;
        if (schema == null) {
            try {
                schema = JsonSchemas.compile(node);
            } catch (RuntimeException e) {
                throw new IllegalStateException("config schema does not compile: " + e.getMessage(), e);
            }
            compiled = schema;
        }
        return schema;
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
            if (types.contains("integer") && INTEGER.matcher(text).matches()) {
                return nodes.numberNode(new BigInteger(text));
            }
            if (types.contains("number") && NUMBER.matcher(text).matches()) {
                return nodes.numberNode(new BigDecimal(text));
            }
        } catch (NumberFormatException e) {
            return nodes.textNode(value); // e.g. an exponent beyond BigDecimal's range
        }
        if (types.contains("boolean") && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return nodes.booleanNode(Boolean.parseBoolean(text));
        }
        return nodes.textNode(value);
    }

    private Set<String> declaredTypes(String key) {
        Set<String> types = new TreeSet<>();
        JsonNode type = declares(key) ? node.get("properties").get(key).get("type") : null;
        if (type == null) {
            return types;
        }
        if (type.isArray()) {
            type.elements().forEachRemaining(t -> types.add(t.asText()));
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
