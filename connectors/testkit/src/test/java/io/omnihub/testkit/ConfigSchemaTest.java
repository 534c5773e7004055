package io.omnihub.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

    private static final String SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "required": ["app-id", "app-secret"],
              "properties": {
                "app-id": { "type": "string", "pattern": "^wx[0-9a-f]{16}$" },
                "app-secret": { "type": "string", "x-secret": true },
                "aes-key": { "type": "string", "x-secret": true },
                "poll-interval-seconds": { "type": "integer", "minimum": 10 },
                "safe-mode": { "type": "boolean" }
              },
              "additionalProperties": false
            }
            """;

    @Test
    void secretKeysAreThePropertiesMarkedXSecret() {
        ConfigSchema schema = ConfigSchema.parse(SCHEMA);

        assertThat(schema.problems()).isEmpty();
        assertThat(schema.secretKeys()).containsExactly("aes-key", "app-secret");
        assertThat(schema.isSecret("app-id")).isFalse();
    }

    @Test
    void stringValuesAreReadAsTheDeclaredTypeBeforeValidation() {
        ConfigSchema schema = ConfigSchema.parse(SCHEMA);

        assertThat(schema.validate(Map.of("app-id", "wx0123456789abcdef", "app-secret", "s3cr3t-value",
                "poll-interval-seconds", "60", "safe-mode", "true"))).isEmpty();
        assertThat(schema.validate(Map.of("app-id", "wx0123456789abcdef", "app-secret", "s3cr3t-value",
                "poll-interval-seconds", "5"))).singleElement().asString().startsWith("$['poll-interval-seconds']: must have a minimum value of 10");
    }

    @Test
    void violationsNameKeysButNeverValues() {
        ConfigSchema schema = ConfigSchema.parse(SCHEMA);

        assertThat(schema.validate(Map.of("app-id", "not-an-appid", "unknown-key", "some-value")))
                .hasSize(3)
                .anySatisfy(v -> assertThat(v).isEqualTo("$: required property 'app-secret' not found"))
                .anySatisfy(v -> assertThat(v).contains("property 'unknown-key' is not defined"))
                .anySatisfy(v -> assertThat(v).startsWith("$['app-id']: does not match the regex pattern"))
                .allSatisfy(v -> assertThat(v).doesNotContain("not-an-appid").doesNotContain("some-value"));
    }

    @Test
    void schemaProblemsAreListed() {
        ConfigSchema schema = ConfigSchema.parse("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["a"],
                 "properties": {"b": {"type": "strng", "x-secret": "yes"}}}""");

        assertThat(schema.problems())
                .anySatisfy(p -> assertThat(p).startsWith("$schema is \"http://json-schema.org/draft-07/schema#\""))
                .anySatisfy(p -> assertThat(p).startsWith("meta-schema: $.properties.b.type"))
                .anySatisfy(p -> assertThat(p).contains("'b' has \"x-secret\": \"yes\""))
                .anySatisfy(p -> assertThat(p).contains("required key 'a' is not declared"));
    }

    @Test
    void textThatIsNoJsonObjectIsRefused() {
        assertThatThrownBy(() -> ConfigSchema.parse("{not json")).hasMessageStartingWith("config schema is not JSON");
        assertThatThrownBy(() -> ConfigSchema.parse("[]")).hasMessage("config schema is not a JSON object");
    }
}
