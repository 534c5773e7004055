package io.omnihub.connectors.douyin;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import java.net.URI;

/**
 * One instance's settings, checked once when the instance opens so that a wrong key fails the
 * instance with a clear message instead of failing every push later.
 *
 * <p>A final class rather than a record: a record's generated {@code toString} would print the
 * secrets into any log that prints the config.
 */
public final class DouyinConfig {

    /** The kind of account an instance connects. */
    public enum Kind {
        /** A Douyin Open Platform (抖音开放平台) app receiving webhooks, identified by its client_key. */
        OPEN("open", URI.create("https://open.douyin.com")),
        /** A 抖店 (Douyin e-commerce) shop receiving message pushes through a self-use app. */
        SHOP("shop", URI.create("https://openapi-fxg.jinritemai.com"));

        private final String id;
        private final URI defaultApiBaseUrl;

        Kind(String id, URI defaultApiBaseUrl) {
            this.id = id;
            this.defaultApiBaseUrl = defaultApiBaseUrl;
        }

        /** The configuration value, {@code open} or {@code shop}. */
        public String id() {
            return id;
        }

        /** The API base URL used when {@code api-base-url} is not set. */
        public URI defaultApiBaseUrl() {
            return defaultApiBaseUrl;
        }
    }

    public static final String KIND = "kind";
    public static final String CLIENT_KEY = "client-key";
    public static final String CLIENT_SECRET = "client-secret";
    public static final String APP_KEY = "app-key";
    public static final String APP_SECRET = "app-secret";
    public static final String SHOP_ID = "shop-id";
    public static final String DECRYPT_PHONE = "decrypt-phone";
    public static final String API_BASE_URL = "api-base-url";

    private final Kind kind;
    private final String clientKey;
    private final String clientSecret;
    private final String appKey;
    private final String appSecret;
    private final String shopId;
    private final boolean decryptPhone;
    private final URI apiBaseUrl;

    private DouyinConfig(Kind kind, String clientKey, String clientSecret, String appKey, String appSecret,
                         String shopId, boolean decryptPhone, URI apiBaseUrl) {
        this.kind = kind;
        this.clientKey = clientKey;
        this.clientSecret = clientSecret;
        this.appKey = appKey;
        this.appSecret = appSecret;
        this.shopId = shopId;
        this.decryptPhone = decryptPhone;
        this.apiBaseUrl = apiBaseUrl;
    }

    /**
     * Reads and checks an instance's configuration.
     *
     * @throws ConfigException naming the key that cannot work; never quoting a secret value
     */
    public static DouyinConfig from(InstanceConfig config) {
        Kind kind = config.requireEnum(KIND, Kind.class);
        URI baseUrl = config.url(API_BASE_URL, kind.defaultApiBaseUrl);
        if (kind == Kind.OPEN) {
            return new DouyinConfig(kind, config.require(CLIENT_KEY).trim(), config.require(CLIENT_SECRET),
                    null, null, null, false, baseUrl);
        }
        String shopId = config.require(SHOP_ID).trim();
        // 抖店 shop ids are int64 and token.create sends them as a JSON number.
        if (!shopId.matches("[1-9][0-9]{0,18}")) {
            throw new ConfigException("'" + SHOP_ID + "' must be the numeric 抖店 shop id (店铺ID), not '" + shopId + "'");
        }
        try {
            Long.parseLong(shopId);
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + SHOP_ID + "' is larger than a 64-bit shop id: '" + shopId + "'");
        }
        return new DouyinConfig(kind, null, null, config.require(APP_KEY).trim(), config.require(APP_SECRET),
                shopId, config.bool(DECRYPT_PHONE, true), baseUrl);
    }

    public Kind kind() {
        return kind;
    }

    /** The Open Platform client_key ({@code open} only): the namespace of every douyin_openid. */
    public String clientKey() {
        return requireKind(Kind.OPEN, clientKey);
    }

    /** The Open Platform client_secret ({@code open} only): signs pushes and fetches client tokens. */
    public String clientSecret() {
        return requireKind(Kind.OPEN, clientSecret);
    }

    /** The 抖店 app_key ({@code shop} only). */
    public String appKey() {
        return requireKind(Kind.SHOP, appKey);
    }

    /** The 抖店 app_secret ({@code shop} only): signs pushes and API requests. */
    public String appSecret() {
        return requireKind(Kind.SHOP, appSecret);
    }

    /** The 抖店 shop id as digits ({@code shop} only): the namespace of every doudian_openid. */
    public String shopId() {
        return requireKind(Kind.SHOP, shopId);
    }

    /** Whether the normalizer decrypts the receiver phone of 抖店 orders (costs decrypt quota). */
    public boolean decryptPhone() {
        return decryptPhone;
    }

    /** The API base URL without a trailing slash. */
    public URI apiBaseUrl() {
        return apiBaseUrl;
    }

    private <T> T requireKind(Kind wanted, T value) {
        if (kind != wanted) {
            throw new IllegalStateException("a " + kind.id + " instance has no " + wanted.id + " credentials");
        }
        return value;
    }

    @Override
    public String toString() {
        if (kind == Kind.OPEN) {
            return "DouyinConfig{kind=open, clientKey=" + clientKey + ", apiBaseUrl=" + apiBaseUrl + ", clientSecret=******}";
        }
        return "DouyinConfig{kind=shop, appKey=" + appKey + ", shopId=" + shopId + ", decryptPhone=" + decryptPhone
                + ", apiBaseUrl=" + apiBaseUrl + ", appSecret=******}";
    }
}
