package io.omnihub.connectors.tmall;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One shop's settings, checked once when the instance opens so that a wrong key fails the instance
 * with a clear message instead of failing every poll later.
 *
 * <p>A final class rather than a record: a record's generated {@code toString} would print the app
 * secret and the session into any log that prints the config.
 */
public final class TmallConfig {

    public static final String APP_KEY = "app-key";
    public static final String APP_SECRET = "app-secret";
    public static final String SESSION = "session";
    public static final String SIGN_METHOD = "sign-method";
    public static final String API_BASE_URL = "api-base-url";
    public static final String SELLER_ID = "seller-id";
    public static final String TMC_ENABLED = "tmc-enabled";
    public static final String TMC_GROUP = "tmc-group";
    public static final String TMC_QUANTITY = "tmc-quantity";
    public static final String SYNC_ENABLED = "sync-enabled";
    public static final String SYNC_START = "sync-start";
    public static final String SYNC_LAG = "sync-lag";
    public static final String SYNC_PAGE_SIZE = "sync-page-size";
    public static final String TRADE_DETAIL = "trade-detail";
    public static final String POLL_INTERVAL = "poll-interval";

    /** The production gateway. */
    public static final URI DEFAULT_API_BASE_URL = URI.create("https://gw.api.taobao.com/router/rest");
    /** HmacSHA256: the strongest method TOP offers; md5 and HmacMD5 remain for old apps. */
    public static final TopSigner.Method DEFAULT_SIGN_METHOD = TopSigner.Method.HMAC_SHA256;
    static final String DEFAULT_TMC_GROUP = "default";
    static final int DEFAULT_TMC_QUANTITY = 100;
    static final Duration DEFAULT_SYNC_LAG = Duration.ofMinutes(3);
    static final int DEFAULT_SYNC_PAGE_SIZE = 100;
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(1);

    private static final DateTimeFormatter TOP_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");

    private final String appKey;
    private final String appSecret;
    private final String session;
    private final TopSigner.Method signMethod;
    private final URI apiBaseUrl;
    private final String sellerId;
    private final boolean tmcEnabled;
    private final String tmcGroup;
    private final int tmcQuantity;
    private final boolean syncEnabled;
    private final Instant syncStart;
    private final Duration syncLag;
    private final int syncPageSize;
    private final boolean tradeDetail;
    private final Duration pollInterval;

    private TmallConfig(InstanceConfig config) {
        this.appKey = config.require(APP_KEY).trim();
        this.appSecret = config.require(APP_SECRET);
        this.session = config.require(SESSION).trim();
        this.signMethod = config.enumValue(SIGN_METHOD, TopSigner.Method.class, DEFAULT_SIGN_METHOD);
        this.apiBaseUrl = config.url(API_BASE_URL, DEFAULT_API_BASE_URL);
        this.sellerId = config.get(SELLER_ID).map(String::trim).orElse(null);
        this.tmcEnabled = config.bool(TMC_ENABLED, true);
        this.tmcGroup = config.get(TMC_GROUP, DEFAULT_TMC_GROUP).trim();
        this.tmcQuantity = config.integer(TMC_QUANTITY, DEFAULT_TMC_QUANTITY, 10, 200);
        this.syncEnabled = config.bool(SYNC_ENABLED, true);
        this.syncStart = config.get(SYNC_START).map(TmallConfig::instant).orElse(null);
        this.syncLag = config.duration(SYNC_LAG, DEFAULT_SYNC_LAG);
        if (syncLag.isNegative()) {
            throw new ConfigException("'" + SYNC_LAG + "' must not be negative");
        }
        this.syncPageSize = config.integer(SYNC_PAGE_SIZE, DEFAULT_SYNC_PAGE_SIZE, 1, 100);
        this.tradeDetail = config.bool(TRADE_DETAIL, true);
        this.pollInterval = config.duration(POLL_INTERVAL, DEFAULT_POLL_INTERVAL);
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new ConfigException("'" + POLL_INTERVAL + "' must be longer than zero");
        }
        if (!tmcEnabled && !syncEnabled) {
            throw new ConfigException("'" + TMC_ENABLED + "' and '" + SYNC_ENABLED
                    + "' are both false: the instance would read nothing; enable at least one");
        }
    }

    /**
     * Reads and checks an instance's configuration.
     *
     * @throws ConfigException naming the key that cannot work; never quoting a secret value
     */
    public static TmallConfig from(InstanceConfig config) {
        return new TmallConfig(config);
    }

    /** yyyy-MM-dd and yyyy-MM-dd HH:mm[:ss] in Beijing time, as TOP states times, or ISO-8601 with offset. */
    static Instant instant(String raw) {
        String text = raw.trim();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(TopTime.GMT_8);
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return OffsetDateTime.parse(text.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2").replace(' ', 'T'))
                        .toInstant();
            }
            return LocalDateTime.parse(text.replace('T', ' '), TOP_DATE_TIME).toInstant(TopTime.GMT_8);
        } catch (DateTimeParseException e) {
            throw new ConfigException("'" + SYNC_START + "' must be yyyy-MM-dd, yyyy-MM-dd HH:mm:ss (Beijing time) "
                    + "or an ISO-8601 date-time with offset, not '" + raw + "'");
        }
    }

    /** The TOP AppKey. */
    public String appKey() {
        return appKey;
    }

    /** The TOP AppSecret. Never log it. */
    public String appSecret() {
        return appSecret;
    }

    /** The seller's session key. Never log it. */
    public String session() {
        return session;
    }

    public TopSigner.Method signMethod() {
        return signMethod;
    }

    /** The gateway URL requests are POSTed to, without a trailing slash. */
    public URI apiBaseUrl() {
        return apiBaseUrl;
    }

    /** The configured shop id; empty means the trades' {@code seller_nick} names the shop. */
    public Optional<String> sellerId() {
        return Optional.ofNullable(sellerId);
    }

    public boolean tmcEnabled() {
        return tmcEnabled;
    }

    public String tmcGroup() {
        return tmcGroup;
    }

    public int tmcQuantity() {
        return tmcQuantity;
    }

    public boolean syncEnabled() {
        return syncEnabled;
    }

    /** Where the sync starts on the very first poll; empty means one day before it. */
    public Optional<Instant> syncStart() {
        return Optional.ofNullable(syncStart);
    }

    public Duration syncLag() {
        return syncLag;
    }

    public int syncPageSize() {
        return syncPageSize;
    }

    /** Whether TMC trade messages are completed with {@code taobao.trade.fullinfo.get}. */
    public boolean tradeDetail() {
        return tradeDetail;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    @Override
    public String toString() {
        return "TmallConfig{appKey=" + appKey + ", appSecret=******, session=******, signMethod=" + signMethod.id()
                + ", apiBaseUrl=" + apiBaseUrl + ", sellerId=" + (sellerId == null ? "unset" : sellerId)
                + ", tmc=" + (tmcEnabled ? tmcGroup + "/" + tmcQuantity : "off")
                + ", sync=" + (syncEnabled ? "lag " + syncLag + ", pages of " + syncPageSize : "off")
                + ", tradeDetail=" + tradeDetail + ", pollInterval=" + pollInterval + "}";
    }
}
