package io.omnihub.connectors.wechat;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One instance's settings, checked once when the instance opens so that a wrong key fails the
 * instance with a clear message instead of failing every webhook later.
 *
 * <p>A final class rather than a record: a record's generated {@code toString} would print the
 * secrets into any log that prints the config.
 */
public final class WeChatConfig {

    /** The kind of account an instance connects. */
    public enum Kind {
        /** An Official Account (公众号). */
        MP("mp", URI.create("https://api.weixin.qq.com")),
        /** A WeCom (企业微信) self-built app. */
        WECOM("wecom", URI.create("https://qyapi.weixin.qq.com"));

        private final String id;
        private final URI defaultApiBaseUrl;

        Kind(String id, URI defaultApiBaseUrl) {
            this.id = id;
            this.defaultApiBaseUrl = defaultApiBaseUrl;
        }

        /** The configuration value, {@code mp} or {@code wecom}. */
        public String id() {
            return id;
        }
    }

    public static final String KIND = "kind";
    public static final String APP_ID = "app-id";
    public static final String APP_SECRET = "app-secret";
    public static final String TOKEN = "token";
    public static final String ENCODING_AES_KEY = "encoding-aes-key";
    public static final String API_BASE_URL = "api-base-url";
    public static final String TIMESTAMP_TOLERANCE = "timestamp-tolerance";

    static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final Kind kind;
    private final String appId;
    private final String appSecret;
    private final String token;
    private final String encodingAesKey;
    private final URI apiBaseUrl;
    private final Duration timestampTolerance;

    private WeChatConfig(Kind kind, String appId, String appSecret, String token, String encodingAesKey,
                         URI apiBaseUrl, Duration timestampTolerance) {
        this.kind = kind;
        this.appId = appId;
        this.appSecret = appSecret;
        this.token = token;
        this.encodingAesKey = encodingAesKey;
        this.apiBaseUrl = apiBaseUrl;
        this.timestampTolerance = timestampTolerance;
    }

    /**
     * Reads and checks an instance's configuration.
     *
     * @throws ConfigException naming the key that cannot work; never quoting a secret value
     */
    public static WeChatConfig from(InstanceConfig config) {
        Kind kind = config.requireEnum(KIND, Kind.class);
        String appId = config.require(APP_ID).trim();
        String token = config.require(TOKEN);
        String aesKey = config.get(ENCODING_AES_KEY).map(String::trim).orElse(null);
        if (aesKey != null) {
            try {
                WeChatCrypto.decodeKey(aesKey);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("'" + ENCODING_AES_KEY + "' must be the 43-character EncodingAESKey "
                        + "from the WeChat admin console");
            }
        } else if (kind == Kind.WECOM) {
            throw new ConfigException("'" + ENCODING_AES_KEY + "' is required for kind wecom: WeCom encrypts every push");
        }
        Duration tolerance = config.duration(TIMESTAMP_TOLERANCE, DEFAULT_TOLERANCE);
        if (tolerance.isNegative()) {
            throw new ConfigException("'" + TIMESTAMP_TOLERANCE + "' must not be negative");
        }
        return new WeChatConfig(kind, appId, config.get(APP_SECRET).orElse(null), token, aesKey,
                config.url(API_BASE_URL, kind.defaultApiBaseUrl), tolerance);
    }

    public Kind kind() {
        return kind;
    }

    /** The appid (mp) or corpid (wecom). */
    public String appId() {
        return appId;
    }

    /** The AppSecret or corpsecret; absent for a webhook-only instance. */
    public Optional<String> appSecret() {
        return Optional.ofNullable(appSecret);
    }

    public String token() {
        return token;
    }

    /** The EncodingAESKey; present means pushes are encrypted. */
    public Optional<String> encodingAesKey() {
        return Optional.ofNullable(encodingAesKey);
    }

    /** The API base URL without a trailing slash. */
    public URI apiBaseUrl() {
        return apiBaseUrl;
    }

    /** Zero means the replay check is off. */
    public Duration timestampTolerance() {
        return timestampTolerance;
    }

    @Override
    public String toString() {
        return "WeChatConfig{kind=" + kind.id + ", appId=" + appId + ", apiBaseUrl=" + apiBaseUrl
                + ", timestampTolerance=" + timestampTolerance + ", appSecret=" + (appSecret == null ? "unset" : "******")
                + ", token=******, encodingAesKey=" + (encodingAesKey == null ? "unset" : "******") + "}";
    }
}
