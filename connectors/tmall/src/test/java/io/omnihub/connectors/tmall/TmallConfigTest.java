package io.omnihub.connectors.tmall;

import static io.omnihub.connectors.tmall.TmallFixtures.APP_SECRET;
import static io.omnihub.connectors.tmall.TmallFixtures.SESSION;
import static io.omnihub.connectors.tmall.TmallFixtures.tmallConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TmallConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> config = new HashMap<>();
        config.put("app-key", "34567890");
        config.put("app-secret", APP_SECRET);
        config.put("session", SESSION);
        return config;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> config = minimal();
        config.put(key, value);
        return config;
    }

    @Test
    void threeKeysAreEnoughAndTheRestHasDefaults() {
        TmallConfig config = tmallConfig(minimal());

        assertThat(config.apiBaseUrl()).isEqualTo(URI.create("https://gw.api.taobao.com/router/rest"));
        assertThat(config.signMethod()).isEqualTo(TopSigner.Method.HMAC_SHA256);
        assertThat(config.sellerId()).isEmpty();
        assertThat(config.tmcEnabled()).isTrue();
        assertThat(config.tmcGroup()).isEqualTo("default");
        assertThat(config.tmcQuantity()).isEqualTo(100);
        assertThat(config.syncEnabled()).isTrue();
        assertThat(config.syncStart()).isEmpty();
        assertThat(config.syncLag()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.syncPageSize()).isEqualTo(100);
        assertThat(config.tradeDetail()).isTrue();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @ParameterizedTest
    @CsvSource({"app-key", "app-secret", "session"})
    void credentialsAreRequired(String key) {
        Map<String, String> config = minimal();
        config.remove(key);

        assertThatThrownBy(() -> tmallConfig(config)).isInstanceOf(ConfigException.class).hasMessageContaining("'" + key + "'");
    }

    @Test
    void anUnknownSignMethodIsRefused() {
        assertThatThrownBy(() -> tmallConfig(with("sign-method", "sha1"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("md5, hmac or hmac-sha256");
    }

    @ParameterizedTest
    @CsvSource({
            "2025-05-01,                2025-04-30T16:00:00Z",
            "2025-05-01 08:30:00,       2025-05-01T00:30:00Z",
            "2025-05-01T08:30,          2025-05-01T00:30:00Z",
            "2025-05-01T08:30:00+08:00, 2025-05-01T00:30:00Z",
            "2025-05-01T00:30:00Z,      2025-05-01T00:30:00Z",
    })
    void syncStartIsBeijingTimeUnlessAnOffsetIsGiven(String raw, String expected) {
        assertThat(tmallConfig(with("sync-start", raw)).syncStart()).contains(Instant.parse(expected));
    }

    @Test
    void anUnreadableSyncStartIsRefused() {
        assertThatThrownBy(() -> tmallConfig(with("sync-start", "yesterday"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'sync-start'");
    }

    @ParameterizedTest
    @CsvSource({"tmc-quantity, 5", "tmc-quantity, 201", "sync-page-size, 0", "sync-page-size, 101", "tmc-quantity, many"})
    void numbersOutsideTopsLimitsAreRefused(String key, String value) {
        assertThatThrownBy(() -> tmallConfig(with(key, value))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + key + "'");
    }

    @Test
    void anInstanceThatReadsNothingIsRefused() {
        Map<String, String> config = with("tmc-enabled", "false");
        config.put("sync-enabled", "false");

        assertThatThrownBy(() -> tmallConfig(config)).isInstanceOf(ConfigException.class).hasMessageContaining("read nothing");
    }

    @Test
    void booleansMustBeTrueOrFalse() {
        assertThatThrownBy(() -> tmallConfig(with("trade-detail", "yes"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'trade-detail'");
    }

    @Test
    void theGatewayUrlMustBeAbsolute() {
        assertThatThrownBy(() -> tmallConfig(with("api-base-url", "gw.api.taobao.com/router/rest")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'api-base-url'");
        assertThat(tmallConfig(with("api-base-url", "https://api.taobao.com/router/rest/")).apiBaseUrl())
                .isEqualTo(URI.create("https://api.taobao.com/router/rest"));
    }

    @Test
    void aZeroPollIntervalIsRefused() {
        assertThatThrownBy(() -> tmallConfig(with("poll-interval", "0"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(tmallConfig(minimal()).toString()).doesNotContain(APP_SECRET).doesNotContain(SESSION).contains("34567890");
    }
}
