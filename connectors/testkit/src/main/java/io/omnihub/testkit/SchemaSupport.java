package io.omnihub.testkit;

import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The JSON Schema machinery shared by {@link ConfigSchema} and {@link CanonicalEventValidator}. */
final class SchemaSupport {

    /** The draft every OmniHub schema is written in. */
    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    /** Draft 2020-12 that knows the SDK's {@code x-secret} annotation, with format assertions on. */
    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new NonValidationKeyword(ConfigSchema.SECRET_KEYWORD))
                    .build()));

    /** Formats asserted; messages in English with JSON paths ({@code $.identities[0].value}) whatever the JVM's locale. */
    static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .locale(Locale.ENGLISH)
            .build();

    private SchemaSupport() {
    }

    /** Readable, stably ordered messages: {@code $.identities[0].value: does not match ...}. */
    static List<String> describe(Collection<ValidationMessage> messages) {
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
