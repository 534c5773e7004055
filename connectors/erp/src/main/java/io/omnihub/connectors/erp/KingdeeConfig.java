package io.omnihub.connectors.erp;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Kingdee K/3 Cloud instance's settings, read and checked once when the instance opens, so a
 * wrong key fails the instance with a clear message instead of failing every call later.
 *
 * <p>A final class rather than a record: a record's generated {@code toString} would print the
 * password and app secret into any log that prints the config.
 */
public final class KingdeeConfig {

    /** How the connector authenticates to the WebAPI. */
    public enum AuthMode {
        /** {@code AuthService.ValidateUser} with user name and password; session cookies. */
        PASSWORD("password"),
        /** {@code AuthService.LoginByAppSecret} with a third-party app id and secret; session cookies. */
        APP_SECRET("app-secret"),
        /** Login-free: every request carries {@code X-Api-*} and {@code X-Kd-*} signature headers. */
        SIGNED("signed");

        private final String id;

        AuthMode(String id) {
            this.id = id;
        }

        /** The configuration value. */
        public String id() {
            return id;
        }

        /** Whether this mode logs in and carries session cookies. */
        public boolean usesSession() {
            return this != SIGNED;
        }
    }

    public static final String BASE_URL = "base-url";
    public static final String ACCT_ID = "acct-id";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String APP_ID = "app-id";
    public static final String APP_SECRET = "app-secret";
    public static final String LCID = "lcid";
    public static final String ORG_NUMBER = "org-number";
    public static final String AUTH_MODE = "auth-mode";
    public static final String POLL_INTERVAL = "poll-interval";
    public static final String SYNC_START = "sync-start";
    public static final String SYNC_LAG = "sync-lag";
    public static final String POLL_FORMS = "poll-forms";
    public static final String PAGE_SIZE = "page-size";
    public static final String CUSTOMER_GROUP = "customer-group";
    public static final String SALE_ORG = "sale-org";
    public static final String BILL_TYPE = "bill-type";
    public static final String CURRENCY = "currency";
    public static final String ORDER_NUMBER_FIELD = "order-number-field";
    public static final String DEFAULT_MATERIAL = "default-material";
    public static final String SALER = "saler";
    public static final String ORDER_LINES = "order-lines";
    public static final String ORDER_LINE_CATEGORY_FIELD = "order-line-category-field";
    /** The material's group (物料分组), read through the line's material. */
    static final String DEFAULT_LINE_CATEGORY_FIELD = "FMaterialId.FMaterialGroup.FNumber";

    static final int DEFAULT_LCID = 2052;
    static final String DEFAULT_ORG_NUMBER = "0";
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);
    /** Like the Tmall connector's: long enough for a save that takes a while to commit. */
    static final Duration DEFAULT_SYNC_LAG = Duration.ofMinutes(3);
    static final int DEFAULT_PAGE_SIZE = 1000;
    /** A sanity bound: larger pages risk the request timeout on a busy ERP. */
    static final int MAX_PAGE_SIZE = 10_000;
    static final String DEFAULT_BILL_TYPE = "XSDD01_SYS";
    static final String DEFAULT_CURRENCY = "PRE001";
    /** The site path every K/3 Cloud install serves the WebAPI under. */
    static final String DEFAULT_SITE_PATH = "/k3cloud";

    /** A field key goes into FieldKeys and FilterString verbatim, so only a plain identifier is allowed. */
    private static final Pattern FIELD_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** A field key or a reference path through base data ({@code FMaterialId.FMaterialGroup.FNumber}). */
    private static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}(\\.[A-Za-z][A-Za-z0-9_]{0,63}){0,3}");
    /** The part of a signed-mode app id after the underscore: Base64 of 24 bytes. */
    private static final Pattern SIGNED_APP_ID = Pattern.compile("[^_\\s]+_[A-Za-z0-9+/=]{32}");

    private final URI baseUrl;
    private final String acctId;
    private final String username;
    private final String password;
    private final String appId;
    private final String appSecret;
    private final int lcid;
    private final String orgNumber;
    private final AuthMode authMode;
    private final Duration pollInterval;
    private final LocalDateTime syncStart;
    private final Duration syncLag;
    private final List<KingdeeForm> pollForms;
    private final int pageSize;
    private final String customerGroup;
    private final String saleOrg;
    private final String billType;
    private final String currency;
    private final String orderNumberField;
    private final String defaultMaterial;
    private final String saler;
    private final boolean orderLines;
    private final String lineCategoryField;

    private KingdeeConfig(InstanceConfig config) {
        this.authMode = config.enumValue(AUTH_MODE, AuthMode.class, AuthMode.PASSWORD);
        this.baseUrl = siteUrl(config);
        this.acctId = config.require(ACCT_ID).trim();
        this.username = config.require(USERNAME).trim();
        this.password = config.get(PASSWORD).orElse(null);
        this.appId = config.get(APP_ID).map(String::trim).orElse(null);
        this.appSecret = config.get(APP_SECRET).orElse(null);
        this.lcid = config.integer(LCID, DEFAULT_LCID, 1, 99_999);
        this.orgNumber = config.get(ORG_NUMBER, DEFAULT_ORG_NUMBER).trim();
        this.pollInterval = config.duration(POLL_INTERVAL, DEFAULT_POLL_INTERVAL);
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new ConfigException("'" + POLL_INTERVAL + "' must be positive");
        }
        this.syncStart = config.get(SYNC_START).map(KingdeeConfig::syncStart).orElse(null);
        this.syncLag = config.duration(SYNC_LAG, DEFAULT_SYNC_LAG);
        if (syncLag.isNegative()) {
            throw new ConfigException("'" + SYNC_LAG + "' must not be negative");
        }
        this.pollForms = pollForms(config.get(POLL_FORMS, KingdeeForm.CUSTOMER.formId() + "," + KingdeeForm.SALES_ORDER.formId()));
        this.pageSize = config.integer(PAGE_SIZE, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        this.customerGroup = config.get(CUSTOMER_GROUP).map(String::trim).orElse(null);
        this.saleOrg = config.get(SALE_ORG).map(String::trim).orElse(null);
        this.billType = config.get(BILL_TYPE, DEFAULT_BILL_TYPE).trim();
        this.currency = config.get(CURRENCY, DEFAULT_CURRENCY).trim();
        this.orderNumberField = config.get(ORDER_NUMBER_FIELD).map(String::trim).orElse(null);
        if (orderNumberField != null && !FIELD_KEY.matcher(orderNumberField).matches()) {
            throw new ConfigException("'" + ORDER_NUMBER_FIELD + "' must be a Kingdee field key such as "
                    + "F_OMNI_ChannelOrderNo (letters, digits, underscores)");
        }
        this.defaultMaterial = config.get(DEFAULT_MATERIAL).map(String::trim).orElse(null);
        this.saler = config.get(SALER).map(String::trim).orElse(null);
        this.orderLines = config.bool(ORDER_LINES, true);
        String category = config.get(ORDER_LINE_CATEGORY_FIELD, DEFAULT_LINE_CATEGORY_FIELD).trim();
        if (!category.equalsIgnoreCase("none") && !FIELD_PATH.matcher(category).matches()) {
            throw new ConfigException("'" + ORDER_LINE_CATEGORY_FIELD + "' must be a Kingdee field key or reference path "
                    + "such as FMaterialId.FMaterialGroup.FNumber, or none");
        }
        this.lineCategoryField = category.equalsIgnoreCase("none") ? null : category;
        requireCredentials();
    }

    /**
     * Reads and checks an instance's configuration.
     *
     * @throws ConfigException naming the key that cannot work; never quoting a secret value
     */
    public static KingdeeConfig from(InstanceConfig config) {
        return new KingdeeConfig(config);
    }

    private void requireCredentials() {
        switch (authMode) {
            case PASSWORD -> {
                if (password == null) {
                    throw new ConfigException("'" + PASSWORD + "' is required when auth-mode is password");
                }
            }
            case APP_SECRET -> {
                if (appId == null || appSecret == null) {
                    throw new ConfigException("'" + APP_ID + "' and '" + APP_SECRET
                            + "' are required when auth-mode is app-secret");
                }
            }
            case SIGNED -> {
                if (appId == null || appSecret == null) {
                    throw new ConfigException("'" + APP_ID + "' and '" + APP_SECRET
                            + "' are required when auth-mode is signed");
                }
                if (!SIGNED_APP_ID.matcher(appId).matches()) {
                    throw new ConfigException("'" + APP_ID + "' must be the third-party app id as Kingdee shows it, "
                            + "<client id>_<32 characters>, for auth-mode signed");
                }
            }
            default -> throw new IllegalStateException("unknown auth mode " + authMode);
        }
    }

    /**
     * The site address: a URL without a path gets the standard {@code /k3cloud}; one with a path
     * (a site installed elsewhere, a reverse proxy) is kept as given.
     */
    private static URI siteUrl(InstanceConfig config) {
        URI uri = config.requireUrl(BASE_URL);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException("'" + BASE_URL + "' must not have a query or fragment: " + config.require(BASE_URL));
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
            return URI.create(uri + DEFAULT_SITE_PATH);
        }
        return uri;
    }

    private static LocalDateTime syncStart(String raw) {
        try {
            return KingdeeDates.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + SYNC_START + "' must be a date (2024-01-01) or a date and time "
                    + "(2024-01-01T08:00:00), Kingdee server time: " + raw);
        }
    }

    private static List<KingdeeForm> pollForms(String raw) {
        List<KingdeeForm> forms = new ArrayList<>();
        if (raw.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        for (String part : raw.split(",")) {
            String formId = part.trim();
            if (formId.isEmpty()) {
                continue;
            }
            KingdeeForm form = KingdeeForm.of(formId).orElseThrow(() -> new ConfigException("'" + POLL_FORMS
                    + "' lists '" + formId + "'; the connector polls BD_Customer and SAL_SaleOrder, or none"));
            if (!forms.contains(form)) {
                forms.add(form);
            }
        }
        return Collections.unmodifiableList(forms);
    }

    /** The site address, e.g. {@code https://erp.example.com/k3cloud}, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The data center (账套) id. */
    public String acctId() {
        return acctId;
    }

    public String username() {
        return username;
    }

    /** The password, for {@link AuthMode#PASSWORD}. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** The third-party app id, for {@link AuthMode#APP_SECRET} and {@link AuthMode#SIGNED}. */
    public Optional<String> appId() {
        return Optional.ofNullable(appId);
    }

    /** The third-party app secret, for {@link AuthMode#APP_SECRET} and {@link AuthMode#SIGNED}. */
    public Optional<String> appSecret() {
        return Optional.ofNullable(appSecret);
    }

    /** The language id, 2052 for simplified Chinese. */
    public int lcid() {
        return lcid;
    }

    /** The organisation number sent in signed requests; {@code 0} for the user's default. */
    public String orgNumber() {
        return orgNumber;
    }

    public AuthMode authMode() {
        return authMode;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** Where polling starts when there is no checkpoint yet; empty means the beginning. */
    public Optional<LocalDateTime> syncStart() {
        return Optional.ofNullable(syncStart);
    }

    /**
     * How far behind the newest modification time already polled each query starts again, so that a
     * record saved with an earlier time but committed later (a long save or import) is still read.
     * Zero reads from the watermark itself.
     */
    public Duration syncLag() {
        return syncLag;
    }

    /** The forms to poll, in polling order; empty when polling is off. */
    public List<KingdeeForm> pollForms() {
        return pollForms;
    }

    /** Rows per ExecuteBillQuery page. */
    public int pageSize() {
        return pageSize;
    }

    /** The customer group (FGroup) new customers get. */
    public Optional<String> customerGroup() {
        return Optional.ofNullable(customerGroup);
    }

    /**
     * The organisation that creates customers and sales orders: {@code sale-org}, else
     * {@code org-number} when that names one.
     */
    public Optional<String> saleOrg() {
        if (saleOrg != null) {
            return Optional.of(saleOrg);
        }
        return DEFAULT_ORG_NUMBER.equals(orgNumber) ? Optional.empty() : Optional.of(orgNumber);
    }

    /** The sales-order bill type, {@code XSDD01_SYS} for the standard sales order. */
    public String billType() {
        return billType;
    }

    /** The settlement currency number of saved orders and customers, {@code PRE001} (CNY) by default. */
    public String currency() {
        return currency;
    }

    /** The custom sales-order field holding the channel order number, e.g. {@code F_OMNI_ChannelOrderNo}. */
    public Optional<String> orderNumberField() {
        return Optional.ofNullable(orderNumberField);
    }

    /** Whether polled sales orders carry their lines ({@code FSaleOrderEntry}), read with one more query per page. */
    public boolean orderLines() {
        return orderLines;
    }

    /** The line field read as the line's category; absent when {@code order-line-category-field} is {@code none}. */
    public Optional<String> lineCategoryField() {
        return Optional.ofNullable(lineCategoryField);
    }

    /** The material number of order lines that name none. */
    public Optional<String> defaultMaterial() {
        return Optional.ofNullable(defaultMaterial);
    }

    /** The salesperson (FSalerId) number of saved orders. */
    public Optional<String> saler() {
        return Optional.ofNullable(saler);
    }

    @Override
    public String toString() {
        return "KingdeeConfig{authMode=" + authMode.id + ", baseUrl=" + baseUrl + ", acctId=" + acctId
                + ", username=" + username + ", appId=" + (appId == null ? "unset" : appId)
                + ", lcid=" + lcid + ", orgNumber=" + orgNumber + ", pollForms=" + pollForms
                + ", password=" + (password == null ? "unset" : "******")
                + ", appSecret=" + (appSecret == null ? "unset" : "******") + "}";
    }
}
