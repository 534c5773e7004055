package io.omnihub.connectors.wechat;

import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.MutableClock;
import io.omnihub.testkit.TestConnectorContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test data and request builders shared by the WeChat tests. */
final class WeChatFixtures {

    /** The WxJava / Tencent sample parameters of PROTOCOLS §1.3. */
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String TOKEN = "pamtest";
    static final String TIMESTAMP = "1409304348";
    static final String NONCE = "xxxxxx";
    static final String APP_ID = "wxb11529c136998cb6";
    static final String CORP_ID = "ww5a1c8f3e2d9b7a01";
    static final String SECRET = "s3cr3t-app-secret-value";

    /** The hub's clock in tests: the vector's timestamp, so its signatures are fresh. */
    static final Instant NOW = Instant.ofEpochSecond(Long.parseLong(TIMESTAMP));
    static final Set<String> SECRET_KEYS = Set.of("app-secret", "token", "encoding-aes-key");

    private WeChatFixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = WeChatFixtures.class.getResourceAsStream("/wechat/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /wechat/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    static Map<String, String> mpConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("kind", "mp");
        config.put("app-id", APP_ID);
        config.put("token", TOKEN);
        return config;
    }

    static Map<String, String> mpSafeModeConfig() {
        Map<String, String> config = mpConfig();
        config.put("encoding-aes-key", AES_KEY);
        return config;
    }

    static Map<String, String> wecomConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("kind", "wecom");
        config.put("app-id", CORP_ID);
        config.put("token", TOKEN);
        config.put("encoding-aes-key", AES_KEY);
        return config;
    }

    static TestConnectorContext context(Map<String, String> config) {
        return new TestConnectorContext("wechat", "brand-oa", config, SECRET_KEYS, new MutableClock(NOW));
    }

    static WeChatConfig config(Map<String, String> config) {
        return WeChatConfig.from(context(config).config());
    }

    static WebhookRequest get(Map<String, String> query) {
        return new WebhookRequest("GET", multi(query), Map.of(), new byte[0], NOW);
    }

    static WebhookRequest post(Map<String, String> query, byte[] body) {
        return new WebhookRequest("POST", multi(query), Map.of("Content-Type", List.of("text/xml")), body, NOW);
    }

    /** Query parameters in order, as pairs: {@code query("a", "1", "b", "2")}. */
    static Map<String, String> query(String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return query;
    }

    /** The plain query WeChat sends with every Official Account request. */
    static Map<String, String> signedQuery(String timestamp, String nonce) {
        return query("signature", WeChatSignature.sign(TOKEN, timestamp, nonce), "timestamp", timestamp, "nonce", nonce);
    }

    /** The body and query of a safe-mode push of {@code message}, encrypted for {@code receiveId}. */
    static WebhookRequest encryptedPush(String message, String receiveId, boolean withPlainSignature) {
        String encrypt = new WeChatCrypto(AES_KEY, receiveId).encrypt(message);
        Map<String, String> query = withPlainSignature ? signedQuery(TIMESTAMP, NONCE) : query("timestamp", TIMESTAMP, "nonce", NONCE);
        query.put("msg_signature", WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE, encrypt));
        if (withPlainSignature) {
            query.put("encrypt_type", "aes");
            query.put("openid", "oia2TjuEGTNoeX76QEjQNrcURxG8");
        }
        String body = "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><Encrypt><![CDATA["
                + encrypt + "]]></Encrypt></xml>";
        return post(query, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> multi(Map<String, String> query) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        query.forEach((name, value) -> multi.put(name, List.of(value)));
        return multi;
    }
}
