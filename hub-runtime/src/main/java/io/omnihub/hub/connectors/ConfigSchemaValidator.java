package io.omnihub.hub.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates an instance's configuration map against its connector's JSON Schema (draft 2020-12)
 * and reads which keys the schema marks secret ({@code "x-secret": true}).
 *
 * <p>Configuration values arrive as strings (properties, environment); validation is type-loose, so
 * {@code "300"} satisfies {@code "type": "integer"} and {@code "true"} a boolean.
 */
final class ConfigSchemaValidator {

    /** The schema keyword marking a property as secret. */
    static final String SECRET_KEYWORD = "x-secret";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new NonValidationKeyword(SECRET_KEYWORD))
                    .build()));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .typeLoose(true)
            .pathType(PathType.JSON_PATH)
            .locale(Locale.ENGLISH)
            .build();

    private ConfigSchemaValidator() {
    }

    /**
     * The outcome of validating one configuration.
     *
     * @param problems   what is wrong, one message per violation, empty when valid
     * @param secretKeys the properties the schema marks secret
     */
    record Result(List<String> problems, Set<String> secretKeys) {

        boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * @throws IllegalArgumentException when {@code schemaJson} is not a usable schema (the
     *     connector's fault, not the operator's)
     */
    static Result validate(String schemaJson, Map<String, String> config) {
        JsonNode schemaNode;
        JsonSchema schema;
        try {
            schemaNode = JSON.readTree(schemaJson);
            schema = FACTORY.getSchema(schemaNode, CONFIG);
        } catch (Exception e) {
            throw new IllegalArgumentException("the connector's configuration schema is not valid JSON Schema: " + e.getMessage(), e);
        }
        ObjectNode instance = JSON.createObjectNode();
        config.forEach(instance::put);
        List<String> problems = schema.validate(instance).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
        return new Result(problems, secretKeys(schemaNode));
    }

    /** Properties marked {@code "x-secret": true} at the top level of the schema. */
    static Set<String> secretKeys(JsonNode schema) {
        Set<String> secrets = new LinkedHashSet<>();
        JsonNode properties = schema.path("properties");
        properties.fieldNames().forEachRemaining(name -> {
            if (properties.path(name).path(SECRET_KEYWORD).asBoolean(false)) {
                secrets.add(name);
            }
        });
        return secrets;
    }
}
