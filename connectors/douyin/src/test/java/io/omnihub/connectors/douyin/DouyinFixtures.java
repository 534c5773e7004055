package io.omnihub.connectors.douyin;

import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.MutableClock;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test data, configurations and request builders shared by the Douyin tests. */
final class DouyinFixtures {

    /** Open Platform app of the samples under {@code douyin/open/}. */
    static final String CLIENT_KEY = "awx7c1ex9wse3n4z";
    static final String CLIENT_SECRET = "7802f4e6f243e659d51135445fe1a2b3";
    /** The open_id ({@code from_user_id}) of the samples. */
    static final String OPEN_ID = "_000vHbSsXCxQE6wOF2T0qv3byKqefdHisNw";

    /** The 抖店 app of PROTOCOLS §4's computed examples, and the shop of its sample push. */
    static final String APP_KEY = "1234567890123456789";
    static final String APP_SECRET = "test-app-secret";
    static final String SHOP_ID = "12345";
    /** The int64 p_id of the samples: above 2^53, so a trip through double would change it. */
    static final String P_ID = "6920000000000000000";
    static final String DOUDIAN_OPEN_ID = "1@#Zm9vYmFyLWRvdWRpYW4tYnV5ZXItaWQtMDAx";

    /** The hub's clock in tests. */
    static final Instant NOW = Instant.parse("2025-05-20T02:00:00Z");
    static final Set<String> SECRET_KEYS = Set.of("client-secret", "app-secret");

    private DouyinFixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = DouyinFixtures.class.getResourceAsStream("/douyin/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /douyin/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    static Map<String, String> openConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("kind", "open");
        config.put("client-key", CLIENT_KEY);
        config.put("client-secret", CLIENT_SECRET);
        return config;
    }

    static Map<String, String> shopConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("kind", "shop");
        config.put("app-key", APP_KEY);
        config.put("app-secret", APP_SECRET);
        config.put("shop-id", SHOP_ID);
        return config;
    }

    static TestConnectorContext context(Map<String, String> config) {
        return new TestConnectorContext("douyin", "brand-dy", config, SECRET_KEYS, new MutableClock(NOW));
    }

    static DouyinConfig config(Map<String, String> config) {
        return DouyinConfig.from(context(config).config());
    }

    /** A POST of {@code body} with these headers, received {@link #NOW}. */
    static WebhookRequest post(byte[] body, String... headerPairs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return new WebhookRequest("POST", Map.of(), headers, body, NOW);
    }

    /** A push of sample {@code file} signed as Douyin signs it, with a Msg-Id. */
    static WebhookRequest signedOpenPush(String file, String msgId) {
        byte[] body = resource("open/" + file);
        return post(body, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, body), "Msg-Id", msgId);
    }

    /**
     * {@code sha1_hex(secret + body)} computed here, independently of {@link DouyinSignature}, as
     * Douyin's own Go sample does it.
     */
    static String sha1Hex(String secret, byte[] body) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha1.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code md5_hex(app_key + body + app_secret)}, 抖店's event-sign, computed independently. */
    static String eventSign(String appKey, byte[] body, String appSecret) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(appKey.getBytes(StandardCharsets.UTF_8));
            md5.update(body);
            return HexFormat.of().formatHex(md5.digest(appSecret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 抖店 push of {@code body} with the md5 event-sign of the sample app. */
    static WebhookRequest signedShopPush(byte[] body) {
        return post(body, "app-id", APP_KEY, "event-sign", eventSign(APP_KEY, body, APP_SECRET));
    }

    /** An open-kind record as the handler writes it. */
    static RawRecord openRecord(String file, String msgId) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("kind", "open");
        attributes.put("clientKey", CLIENT_KEY);
        if (msgId != null) {
            attributes.put("msgId", msgId);
        }
        return new RawRecord(msgId, "application/json", resource("open/" + file), attributes, NOW.plusMillis(250));
    }

    /** A shop-kind record as the handler writes it. */
    static RawRecord shopRecord(String file) {
        return new RawRecord("", "application/json", resource("shop/" + file),
                Map.of("kind", "shop", "appKey", APP_KEY, "shopId", SHOP_ID), NOW.plusMillis(250));
    }

    /** A base URL where nothing listens. */
    static String deadBaseUrl() {
        return "http://127.0.0.1:" + FreePort.pick();
    }
}
