package io.omnihub.connector.schema;

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
                "app-secret": { "type": "string", "minLength": 12, "x-secret": true },
                "aes-key": { "type": "string", "x-secret": true },
                "kind": { "enum": ["mp", "wecom"] },
                "poll-interval-seconds": { "type": "integer", "minimum": 10 },
                "sample-rate": { "type": "number", "maximum": 1 },
                "safe-mode": { "type": "boolean" },
                "api-base-url": { "type": "string", "format": "uri" }
              },
              "additionalProperties": false
            }
            """;

    private final ConfigSchema schema = ConfigSchema.parse(SCHEMA);

    @Test
    void secretKeysAreThePropertiesMarkedXSecret() {
        assertThat(schema.problems()).isEmpty();
        assertThat(schema.secretKeys()).containsExactly("aes-key", "app-secret");
        assertThat(schema.isSecret("app-id")).isFalse();
        assertThat(schema.isSecret("not-declared")).isFalse();
        assertThat(schema.propertyNames()).startsWith("app-id", "app-secret", "aes-key");
    }

    @Test
    void aSecretMarkedWithAStringIsAProblemButStillTreatedAsSecret() {
        ConfigSchema sloppy = ConfigSchema.parse("""
                {"type": "object", "properties": {"token": {"type": "string", "x-secret": "true"},
                 "name": {"type": "string", "x-secret": false}}}""");

        assertThat(sloppy.problems()).singleElement().asString().contains("'token' has \"x-secret\": \"true\"");
        assertThat(sloppy.secretKeys()).containsExactly("token");
    }

    @Test
    void stringValuesAreReadAsTheDeclaredTypeBeforeValidation() {
        assertThat(schema.validate(Map.of("app-id", "wx0123456789abcdef", "app-secret", "s3cr3t-value",
                "poll-interval-seconds", "60", "sample-rate", "0.25", "safe-mode", "TRUE"))).isEmpty();
        assertThat(schema.validate(Map.of("app-id", "wx0123456789abcdef", "app-secret", "s3cr3t-value",
                "poll-interval-seconds", "5"))).singleElement().asString()
                .startsWith("$['poll-interval-seconds']: must have a minimum value of 10");
        assertThat(schema.toJson(Map.of("poll-interval-seconds", "60", "safe-mode", "false", "app-id", "123")).toString())
                .contains("\"poll-interval-seconds\":60", "\"safe-mode\":false", "\"app-id\":\"123\"");
    }

    @Test
    void aValueThatDoesNotReadAsTheDeclaredTypeIsReportedAsAString() {
        assertThat(schema.validate(Map.of("app-id", "wx0123456789abcdef", "app-secret", "s3cr3t-value",
                "poll-interval-seconds", "sixty", "safe-mode", "yes")))
                .containsExactly("$['poll-interval-seconds']: string found, integer expected",
                        "$['safe-mode']: string found, boolean expected");
    }

    @Test
    void violationsAreEnglishWithJsonPathsNamingKeysButNeverValues() {
        assertThat(schema.validate(Map.of("app-id", "not-an-appid", "unknown-key", "some-value",
                "kind", "miniapp", "api-base-url", "::not a uri::")))
                .hasSize(5)
                .anySatisfy(v -> assertThat(v).isEqualTo("$: required property 'app-secret' not found"))
                .anySatisfy(v -> assertThat(v).contains("property 'unknown-key' is not defined"))
                .anySatisfy(v -> assertThat(v).startsWith("$['app-id']: does not match the regex pattern"))
                .anySatisfy(v -> assertThat(v).startsWith("$.kind: does not have a value in the enumeration"))
                .anySatisfy(v -> assertThat(v).startsWith("$['api-base-url']: does not match the uri pattern"))
                .allSatisfy(v -> assertThat(v).doesNotContain("not-an-appid").doesNotContain("some-value")
                        .doesNotContain("miniapp").doesNotContain("::not a uri::"));
    }

    @Test
    void aSecretValueNeverAppearsInAMessage() {
        assertThat(schema.validate(Map.of("app-id", "wx0123456789abcdef", "app-secret", "too-short")))
                .singleElement().asString()
                .isEqualTo("$['app-secret']: must be at least 12 characters long")
                .doesNotContain("too-short");
    }

    @Test
    void schemaProblemsAreListed() {
        ConfigSchema broken = ConfigSchema.parse("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["a"],
                 "properties": {"b": {"type": "strng", "x-secret": "yes"}}}""");

        assertThat(broken.problems())
                .anySatisfy(p -> assertThat(p).startsWith("$schema is \"http://json-schema.org/draft-07/schema#\""))
                .anySatisfy(p -> assertThat(p).startsWith("meta-schema: $.properties.b.type"))
                .anySatisfy(p -> assertThat(p).contains("'b' has \"x-secret\": \"yes\""))
                .anySatisfy(p -> assertThat(p).contains("required key 'a' is not declared"));
    }

    @Test
    void aSchemaForSomethingOtherThanAnObjectIsAProblem() {
        assertThat(ConfigSchema.parse("""
                {"type": "objekt", "properties": {}}""").problems())
                .contains("top-level \"type\" must be \"object\" (a configuration is a map), was \"objekt\"");
        assertThat(ConfigSchema.parse("{\"type\": \"object\"}").problems())
                .containsExactly("no \"properties\": every configuration key must be declared");
    }

    @Test
    void validatingAgainstASchemaThatDoesNotCompileIsTheConnectorsFault() {
        ConfigSchema unresolvable = ConfigSchema.parse("""
                {"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}}""");

        assertThatThrownBy(() -> unresolvable.validate(Map.of("a", "1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("config schema does not compile");
    }

    @Test
    void textThatIsNoJsonObjectIsRefused() {
        assertThatThrownBy(() -> ConfigSchema.parse("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config schema is not JSON");
        assertThatThrownBy(() -> ConfigSchema.parse("[]")).hasMessage("config schema is not a JSON object");
    }
}
