package io.omnihub.connectors.sms;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import java.net.URI;
import java.util.Optional;

/**
 * One SMS account's settings, checked once when the instance opens.
 *
 * <p>A final class rather than a record: a record's generated {@code toString} would print the
 * secrets into any log that prints the config.
 */
public final class SmsConfig {

    /** The SMS vendor an instance sends through. */
    public enum Kind {
        /** Aliyun SMS (阿里云短信服务, Dysmsapi 2017-05-25). */
        ALIYUN("aliyun", URI.create("https://dysmsapi.aliyuncs.com"), "cn-hangzhou"),
        /** Tencent Cloud SMS (腾讯云短信, SendSms 2021-01-11). */
        TENCENT("tencent", URI.create("https://sms.tencentcloudapi.com"), "ap-guangzhou");

        private final String id;
        private final URI defaultApiBaseUrl;
        private final String defaultRegion;

        Kind(String id, URI defaultApiBaseUrl, String defaultRegion) {
            this.id = id;
            this.defaultApiBaseUrl = defaultApiBaseUrl;
            this.defaultRegion = defaultRegion;
        }

        /** The configuration value, {@code aliyun} or {@code tencent}. */
        public String id() {
            return id;
        }
    }

    public static final String KIND = "kind";
    public static final String ACCESS_KEY_ID = "access-key-id";
    public static final String ACCESS_KEY_SECRET = "access-key-secret";
    public static final String SECRET_ID = "secret-id";
    public static final String SECRET_KEY = "secret-key";
    public static final String SDK_APP_ID = "sdk-app-id";
    public static final String REGION = "region";
    public static final String SIGN_NAME = "sign-name";
    public static final String CALLBACK_KEY = "callback-key";
    public static final String API_BASE_URL = "api-base-url";
    /** The shortest callback key accepted: it is the callbacks' only authentication. */
    static final int MIN_CALLBACK_KEY_LENGTH = 16;

    private final Kind kind;
    private final String keyId;
    private final String keySecret;
    private final String sdkAppId;
    private final String region;
    private final String signName;
    private final String callbackKey;
    private final URI apiBaseUrl;

    private SmsConfig(Kind kind, String keyId, String keySecret, String sdkAppId, String region, String signName,
                      String callbackKey, URI apiBaseUrl) {
        this.kind = kind;
        this.keyId = keyId;
        this.keySecret = keySecret;
        this.sdkAppId = sdkAppId;
        this.region = region;
        this.signName = signName;
        this.callbackKey = callbackKey;
        this.apiBaseUrl = apiBaseUrl;
    }

    /**
     * Reads and checks an instance's configuration.
     *
     * @throws ConfigException naming the key that cannot work; never quoting a secret value
     */
    public static SmsConfig from(InstanceConfig config) {
        Kind kind = config.requireEnum(KIND, Kind.class);
        String keyId;
        String keySecret;
        String sdkAppId = null;
        if (kind == Kind.ALIYUN) {
            keyId = config.require(ACCESS_KEY_ID).trim();
            keySecret = config.require(ACCESS_KEY_SECRET).trim();
        } else {
            keyId = config.require(SECRET_ID).trim();
            keySecret = config.require(SECRET_KEY).trim();
            sdkAppId = config.require(SDK_APP_ID).trim();
            if (!sdkAppId.matches("\\d{6,20}")) {
                throw new ConfigException("'" + SDK_APP_ID + "' must be the SmsSdkAppId from the SMS console, e.g. 1400006666");
            }
        }
        String callbackKey = config.get(CALLBACK_KEY).map(String::trim).orElse(null);
        if (callbackKey != null && callbackKey.length() < MIN_CALLBACK_KEY_LENGTH) {
            throw new ConfigException("'" + CALLBACK_KEY + "' must have at least " + MIN_CALLBACK_KEY_LENGTH
                    + " characters: it is all that authenticates the vendor's callbacks");
        }
        return new SmsConfig(kind, keyId, keySecret, sdkAppId, config.get(REGION, kind.defaultRegion).trim(),
                config.get(SIGN_NAME).map(String::trim).orElse(null), callbackKey,
                config.url(API_BASE_URL, kind.defaultApiBaseUrl));
    }

    public Kind kind() {
        return kind;
    }

    /** Aliyun's AccessKey ID or Tencent's SecretId. */
    public String keyId() {
        return keyId;
    }

    /** Aliyun's AccessKey secret or Tencent's SecretKey. */
    String keySecret() {
        return keySecret;
    }

    /** Tencent's SmsSdkAppId; absent for Aliyun. */
    public Optional<String> sdkAppId() {
        return Optional.ofNullable(sdkAppId);
    }

    public String region() {
        return region;
    }

    /** The default sign name (短信签名) when an action names none. */
    public Optional<String> signName() {
        return Optional.ofNullable(signName);
    }

    /** The secret the vendor's callback URL carries as {@code key}; absent means callbacks are refused. */
    Optional<String> callbackKey() {
        return Optional.ofNullable(callbackKey);
    }

    /** The API base URL without a trailing slash. */
    public URI apiBaseUrl() {
        return apiBaseUrl;
    }

    @Override
    public String toString() {
        return "SmsConfig{kind=" + kind.id + ", keyId=" + keyId + ", sdkAppId=" + sdkAppId + ", region=" + region
                + ", signName=" + signName + ", apiBaseUrl=" + apiBaseUrl + ", keySecret=******, callbackKey="
                + (callbackKey == null ? "unset" : "******") + "}";
    }
}
