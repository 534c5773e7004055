package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.MutableClock;
import io.omnihub.testkit.TestConnectorContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Test data shared by the Tmall tests: credentials, the shop, the hub's clock and the sample files. */
final class TmallFixtures {

    static final String APP_KEY = "34567890";
    static final String APP_SECRET = "f3a9c1e07b5d4e2a8c6b0d9e1f2a3b4c";
    static final String SESSION = "6100e1b5c7a9d2f4e6a8b0c2d4f6a8b0e2c4d6f822081234";
    static final String SELLER_NICK = "欧姆尼官方旗舰店";
    static final Set<String> SECRET_KEYS = Set.of("app-secret", "session");

    /** 10:10 Beijing time, shortly after the samples happened. */
    static final Instant NOW = Instant.parse("2025-05-20T02:10:00Z");

    /** The trade the TMC samples are about, and the one closed by TMC. */
    static final String TMC_TID = "3712345678901234601";
    static final String TMC_CLOSED_TID = "3712345678901234602";

    private TmallFixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = TmallFixtures.class.getResourceAsStream("/tmall/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /tmall/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    static JsonNode json(String path) {
        try {
            return TopApiClient.JSON.readTree(resource(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A synced trade record, as the poller makes it from {@code trades/<name>.json}. */
    static RawRecord tradeRecord(String name) {
        return TmallRecords.trade(json("trades/" + name + ".json"), NOW);
    }

    /** A TMC message record, as the poller makes it from {@code tmc/<name>.json}. */
    static RawRecord tmcRecord(String name) {
        return TmallRecords.tmcMessage(json("tmc/" + name + ".json"), NOW);
    }

    /** A complete configuration pointing at {@code gatewayUrl}. */
    static Map<String, String> config(String gatewayUrl) {
        Map<String, String> config = new HashMap<>();
        config.put("app-key", APP_KEY);
        config.put("app-secret", APP_SECRET);
        config.put("session", SESSION);
        config.put("api-base-url", gatewayUrl);
        return config;
    }

    static TestConnectorContext context(Map<String, String> config) {
        return new TestConnectorContext("tmall", "flagship", config, SECRET_KEYS, new MutableClock(NOW));
    }

    static TmallConfig tmallConfig(Map<String, String> config) {
        return TmallConfig.from(context(config).config());
    }
}
