package io.omnihub.connector.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The JSON Schema machinery shared by {@link ConfigSchema} and {@link CanonicalEventValidator}:
 * one factory, one configuration, one way to word a violation.
 */
final class JsonSchemas {

    /** The draft every OmniHub schema is written in. */
    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    /** Draft 2020-12 that knows the SDK's {@code x-secret} annotation. */
    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new NonValidationKeyword(ConfigSchema.SECRET_KEYWORD))
                    .build()));

    /**
     * Formats asserted ({@code "format": "date-time"} is a rule, not a hint); messages in English
     * with JSON paths ({@code $.identities[0].value}, {@code $['app-id']}) whatever the JVM's locale.
     */
    static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .locale(Locale.ENGLISH)
            .build();

    private JsonSchemas() {
    }

    /**
     * Compiles {@code schema} with {@link #FACTORY} and {@link #CONFIG} and resolves all its
     * validators now, so the result is safe to share between threads and its first use is not
     * slower than the others.
     */
    static JsonSchema compile(JsonNode schema) {
        JsonSchema compiled = FACTORY.getSchema(schema, CONFIG);
        compiled.initializeValidators();
        return compiled;
    }

    /** Readable, stably ordered messages: {@code $.identities[0].value: does not match ...}. */
    static List<String> describe(Collection<ValidationMessage> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
