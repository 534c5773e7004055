package io.omnihub.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.ConfigException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The typed getters read what an operator writes in a configuration, and refuse what cannot work
 * with a message that names the key and never shows a secret.
 */
class InstanceConfigTest {

    private static final String SECRET = "s3cr3t-value-0001";

    enum Source { CLOUD_API, CSV_FOLDER }

    enum Mode { PASSWORD, APP_SECRET, SIGNED }

    enum Only { ONE }

    private static InstanceConfig config(String key, String value) {
        return new InstanceConfig(Map.of(key, value), Set.of());
    }

    private static InstanceConfig secret(String key, String value) {
        return new InstanceConfig(Map.of(key, value), Set.of(key));
    }

    private static final InstanceConfig EMPTY = new InstanceConfig(Map.of("blank", "  "), Set.of());

    // integer

    @ParameterizedTest
    @CsvSource({"10, 10", "' 200 ', 200", "-3, -3", "0, 0"})
    void integerReadsAWholeNumberWithinTheRange(String raw, int expected) {
        assertThat(config("page-size", raw).integer("page-size", 100, -5, 200)).isEqualTo(expected);
    }

    @Test
    void integerFallsBackWhenUnsetOrBlank() {
        assertThat(EMPTY.integer("page-size", 100, 1, 10)).as("the fallback is not range-checked").isEqualTo(100);
        assertThat(EMPTY.integer("blank", 7, 1, 10)).isEqualTo(7);
    }

    @Test
    void integerOutOfRangeNamesKeyRangeAndValue() {
        assertThatThrownBy(() -> config("page-size", "101").integer("page-size", 100, 1, 100))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'page-size' must be between 1 and 100, not 101");
    }

    @ParameterizedTest
    @ValueSource(strings = {"many", "1.5", "1e3", "99999999999"})
    void integerRefusesWhatIsNoWholeInt(String raw) {
        assertThatThrownBy(() -> config("page-size", raw).integer("page-size", 100, 1, Integer.MAX_VALUE))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'page-size' must be a whole number, not '" + raw + "'");
    }

    // bool

    @ParameterizedTest
    @CsvSource({"true, true", "false, false", "TRUE, true", "' False ', false"})
    void boolReadsTrueOrFalseInAnyCase(String raw, boolean expected) {
        assertThat(config("tmc-enabled", raw).bool("tmc-enabled", !expected)).isEqualTo(expected);
    }

    @Test
    void boolFallsBackWhenUnsetOrBlank() {
        assertThat(EMPTY.bool("tmc-enabled", true)).isTrue();
        assertThat(EMPTY.bool("blank", false)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", "t"})
    void boolRefusesAnythingElse(String raw) {
        assertThatThrownBy(() -> config("trade-detail", raw).bool("trade-detail", true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'trade-detail' must be true or false, not '" + raw + "'");
    }

    // url

    @ParameterizedTest
    @CsvSource({
            "https://api.example.com,            https://api.example.com",
            "https://api.example.com/,           https://api.example.com",
            "' http://10.0.0.8:8080/k3cloud// ', http://10.0.0.8:8080/k3cloud",
            "https://gw.example.com/router/rest, https://gw.example.com/router/rest"})
    void urlIsAbsoluteHttpWithoutTrailingSlashes(String raw, String expected) {
        assertThat(config("api-base-url", raw).url("api-base-url", null)).isEqualTo(URI.create(expected));
        assertThat(config("api-base-url", raw).requireUrl("api-base-url")).isEqualTo(URI.create(expected));
    }

    @Test
    void urlFallsBackToTheGivenUriWhenUnset() {
        URI fallback = URI.create("https://api.weixin.qq.com");

        assertThat(EMPTY.url("api-base-url", fallback)).isSameAs(fallback);
        assertThat(EMPTY.url("blank", fallback)).isSameAs(fallback);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.example.com", "ftp://api.example.com", "/v1/api", "https:///path"})
    void urlRefusesWhatIsNoAbsoluteHttpUrl(String raw) {
        assertThatThrownBy(() -> config("api-base-url", raw).url("api-base-url", null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'api-base-url' must be an absolute http(s) URL: " + raw);
    }

    @Test
    void urlRefusesWhatIsNoUrlAtAll() {
        assertThatThrownBy(() -> config("api-base-url", "https://exa mple.com").url("api-base-url", null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'api-base-url' is not a URL: https://exa mple.com");
    }

    @Test
    void requireUrlNamesTheMissingKey() {
        assertThatThrownBy(() -> EMPTY.requireUrl("base-url"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required configuration 'base-url'");
    }

    // enumValue

    @ParameterizedTest
    @ValueSource(strings = {"cloud-api", "CLOUD_API", "Cloud-Api", " cloud_api "})
    void enumValueIgnoresCaseAndTreatsDashAndUnderscoreAlike(String raw) {
        assertThat(config("source", raw).enumValue("source", Source.class, Source.CSV_FOLDER)).isEqualTo(Source.CLOUD_API);
        assertThat(config("source", raw).requireEnum("source", Source.class)).isEqualTo(Source.CLOUD_API);
    }

    @Test
    void enumValueFallsBackWhenUnset() {
        assertThat(EMPTY.enumValue("auth-mode", Mode.class, Mode.PASSWORD)).isEqualTo(Mode.PASSWORD);
    }

    @Test
    void enumValueListsTheAcceptedValuesAsTheyAreWritten() {
        assertThatThrownBy(() -> config("auth-mode", "sso").enumValue("auth-mode", Mode.class, Mode.PASSWORD))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'auth-mode' must be password, app-secret or signed, not 'sso'");
        assertThatThrownBy(() -> config("source", "ftp").requireEnum("source", Source.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'source' must be cloud-api or csv-folder, not 'ftp'");
        assertThatThrownBy(() -> config("only", "two").requireEnum("only", Only.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'only' must be one, not 'two'");
    }

    @Test
    void requireEnumNamesTheMissingKey() {
        assertThatThrownBy(() -> EMPTY.requireEnum("kind", Source.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required configuration 'kind'");
    }

    // secrets

    @Test
    void aSecretValueIsNeverQuotedInAMessage() {
        assertThatThrownBy(() -> secret("app-key", SECRET).integer("app-key", 1, 1, 10))
                .isInstanceOf(ConfigException.class).hasMessage("'app-key' must be a whole number");
        assertThatThrownBy(() -> secret("app-key", "12345").integer("app-key", 1, 1, 10))
                .isInstanceOf(ConfigException.class).hasMessage("'app-key' must be between 1 and 10");
        assertThatThrownBy(() -> secret("app-key", SECRET).bool("app-key", true))
                .isInstanceOf(ConfigException.class).hasMessage("'app-key' must be true or false");
        assertThatThrownBy(() -> secret("webhook-url", "hooks.example.com/" + SECRET).url("webhook-url", null))
                .isInstanceOf(ConfigException.class).hasMessage("'webhook-url' must be an absolute http(s) URL");
        assertThatThrownBy(() -> secret("webhook-url", "https://exa mple.com/" + SECRET).requireUrl("webhook-url"))
                .isInstanceOf(ConfigException.class).hasMessage("'webhook-url' is not a URL");
        assertThatThrownBy(() -> secret("app-key", SECRET).requireEnum("app-key", Source.class))
                .isInstanceOf(ConfigException.class).hasMessage("'app-key' must be cloud-api or csv-folder");
        assertThatThrownBy(() -> secret("app-key", SECRET).duration("app-key", null))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining(SECRET).hasMessageContaining("'app-key'");
    }
}
