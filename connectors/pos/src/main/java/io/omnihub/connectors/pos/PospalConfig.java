package io.omnihub.connectors.pos;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import java.net.URI;
import java.time.Duration;

/**
 * The settings of a {@code cloud-api} instance (a Pospal / 银豹 OpenAPI account).
 *
 * <p>A record whose {@code toString} is overridden: the generated one would print the app key
 * into any log that prints the config.
 *
 * @param common           the settings every source has
 * @param appId            the account's appId, sent in every request body
 * @param appKey           the account's appKey, which signs every request; secret
 * @param apiBaseUrl       the account's area host, e.g. {@code https://area20-win.pospal.cn:443}, no trailing slash
 * @param windowDelay      how far behind the clock the polled time windows end, so that tickets a
 *                         till uploads a little late are in the cloud when their window is read
 * @param initialLookback  how far back the very first poll starts
 * @param customerCacheTtl how long a looked-up member (phone, card number) is reused; zero turns the cache off
 */
public record PospalConfig(PosConfig common, String appId, String appKey, URI apiBaseUrl, Duration windowDelay,
                           Duration initialLookback, Duration customerCacheTtl) {

    public static final String APP_ID = "app-id";
    public static final String APP_KEY = "app-key";
    public static final String API_BASE_URL = "api-base-url";
    public static final String WINDOW_DELAY = "window-delay";
    public static final String INITIAL_LOOKBACK = "initial-lookback";
    public static final String CUSTOMER_CACHE_TTL = "customer-cache-ttl";

    static final Duration DEFAULT_WINDOW_DELAY = Duration.ofMinutes(2);
    static final Duration DEFAULT_INITIAL_LOOKBACK = Duration.ofDays(1);
    static final Duration DEFAULT_CUSTOMER_CACHE_TTL = Duration.ofHours(1);

    /**
     * Reads and checks a {@code cloud-api} instance's configuration.
     *
     * @throws ConfigException naming the key that cannot work; never quoting the app key
     */
    public static PospalConfig from(InstanceConfig config, PosConfig common) {
        String appId = config.require(APP_ID).trim();
        String appKey = config.require(APP_KEY).trim();
        URI base = config.requireUrl(API_BASE_URL);
        Duration delay = nonNegative(config, WINDOW_DELAY, DEFAULT_WINDOW_DELAY);
        Duration lookback = nonNegative(config, INITIAL_LOOKBACK, DEFAULT_INITIAL_LOOKBACK);
        Duration ttl = nonNegative(config, CUSTOMER_CACHE_TTL, DEFAULT_CUSTOMER_CACHE_TTL);
        return new PospalConfig(common, appId, appKey, base, delay, lookback, ttl);
    }

    /** The store of this account's tickets: {@code store-id}, else the app id (one Pospal account is one store). */
    public String storeId() {
        return common.storeId().orElse(appId);
    }

    private static Duration nonNegative(InstanceConfig config, String key, Duration fallback) {
        Duration value = config.duration(key, fallback);
        if (value.isNegative()) {
            throw new ConfigException("'" + key + "' must not be negative");
        }
        return value;
    }

    @Override
    public String toString() {
        return "PospalConfig{appId=" + appId + ", apiBaseUrl=" + apiBaseUrl + ", appKey=******, windowDelay="
                + windowDelay + ", initialLookback=" + initialLookback + ", customerCacheTtl=" + customerCacheTtl
                + ", " + common + "}";
    }
}
