package io.omnihub.demo;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo brand's accounts on every channel: the ids, which stay the same from run to run (they
 * namespace the customers' identities), and secrets made up for this run, which the simulated
 * channels sign with and the hub's instances are configured with.
 */
final class BrandAccounts {

    static final String BRAND = "澜湖跑者";

    static final String OA_APP_ID = "wxd3a1c0ffee000001";
    static final String OA_GH_ID = "gh_1a2b3c4d5e6f";
    static final String CORP_ID = "ww3a1c0ffee0000002";
    static final String DOUYIN_CLIENT_KEY = "awlanhu0c0ffee01";
    static final String DOUDIAN_APP_KEY = "7301234567890123456";
    static final String DOUDIAN_SHOP_ID = "88001";
    static final String TOP_APP_KEY = "34567890";
    static final String TOP_SELLER_ID = "2200912345678";
    static final String TOP_SELLER_NICK = "澜湖跑者官方旗舰店";
    static final String POSPAL_APP_ID = "A1B2C3D4E5F60718";
    static final String STORE = "SH-001";
    static final String KINGDEE_ACCT = "65a0d3a1c0ffee";
    static final String KINGDEE_USER = "crm_sync";
    static final String ALIYUN_ACCESS_KEY_ID = "LTAI5tLanhuC0ffee0000003";
    static final String SMS_SIGN_NAME = BRAND;
    static final String MAIL_FROM = "club@lanhu-runners.example.com";

    final String oaAppSecret = secret(32);
    final String oaToken = secret(16);
    final String oaAesKey = secret(43);
    final String corpSecret = secret(32);
    final String corpToken = secret(16);
    final String corpAesKey = secret(43);
    final String douyinClientSecret = secret(32);
    final String doudianAppSecret = secret(36);
    final String topAppSecret = secret(32);
    final String topSession = "6100" + secret(28);
    final String pospalAppKey = secret(32);
    final String kingdeePassword = secret(16);
    final String aliyunAccessKeySecret = secret(30);
    final String smsCallbackKey = secret(24);
    final String unsubscribeSecret = secret(40);

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String secret(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /**
     * The hub's instances against the simulated channels at {@code base}
     * ({@code http://127.0.0.1:<port>}) and the mail server on {@code smtpPort}: connector, instance,
     * key, value, as {@code hub.connectors.<connector>.<instance>.<key>} would hold them. The e-mail
     * instance's unsubscribe links point at the hub itself, {@code http://127.0.0.1:${server.port}}
     * (a placeholder the hub resolves).
     */
    Map<String, Map<String, Map<String, String>>> instances(String base, int smtpPort) {
        Map<String, Map<String, Map<String, String>>> all = new LinkedHashMap<>();
        Map<String, Map<String, String>> wechat = all.computeIfAbsent("wechat", k -> new LinkedHashMap<>());
        wechat.put("brand-oa", config("kind", "mp", "app-id", OA_APP_ID, "app-secret", oaAppSecret, "token", oaToken,
                "encoding-aes-key", oaAesKey, "api-base-url", base + "/wechat"));
        wechat.put("brand-corp", config("kind", "wecom", "app-id", CORP_ID, "app-secret", corpSecret, "token", corpToken,
                "encoding-aes-key", corpAesKey, "api-base-url", base + "/wecom"));
        Map<String, Map<String, String>> douyin = all.computeIfAbsent("douyin", k -> new LinkedHashMap<>());
        douyin.put("brand-douyin", config("kind", "open", "client-key", DOUYIN_CLIENT_KEY, "client-secret", douyinClientSecret,
                "api-base-url", base + "/douyin"));
        douyin.put("flagship-shop", config("kind", "shop", "app-key", DOUDIAN_APP_KEY, "app-secret", doudianAppSecret,
                "shop-id", DOUDIAN_SHOP_ID, "api-base-url", base + "/doudian"));
        all.computeIfAbsent("tmall", k -> new LinkedHashMap<>()).put("flagship", config("app-key", TOP_APP_KEY,
                "app-secret", topAppSecret, "session", topSession, "seller-id", TOP_SELLER_ID,
                "api-base-url", base + "/top/router/rest", "poll-interval", "5s", "sync-lag", "30s"));
        all.computeIfAbsent("pos", k -> new LinkedHashMap<>()).put("stores", config("source", "cloud-api",
                "app-id", POSPAL_APP_ID, "app-key", pospalAppKey, "api-base-url", base + "/pospal", "store-id", STORE,
                "brand", "lanhu", "poll-interval", "5s", "window-delay", "3s", "initial-lookback", "10m"));
        all.computeIfAbsent("erp", k -> new LinkedHashMap<>()).put("kingdee", config("base-url", base + "/kingdee/k3cloud",
                "acct-id", KINGDEE_ACCT, "username", KINGDEE_USER, "password", kingdeePassword, "poll-interval", "5s"));
        all.computeIfAbsent("sms", k -> new LinkedHashMap<>()).put("brand-sms", config("kind", "aliyun",
                "access-key-id", ALIYUN_ACCESS_KEY_ID, "access-key-secret", aliyunAccessKeySecret, "sign-name", SMS_SIGN_NAME,
                "callback-key", smsCallbackKey, "api-base-url", base + "/aliyun-sms"));
        all.computeIfAbsent("email", k -> new LinkedHashMap<>()).put("brand-mail", config("smtp-host", "127.0.0.1",
                "smtp-port", Integer.toString(smtpPort), "smtp-security", "none", "from-address", MAIL_FROM, "from-name", BRAND,
                "public-base-url", "http://127.0.0.1:${server.port:8080}", "unsubscribe-secret", unsubscribeSecret));
        return all;
    }

    private static Map<String, String> config(String... keysAndValues) {
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }
}
