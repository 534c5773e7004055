package io.omnihub.connectors.douyin;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import java.time.Duration;
import java.util.Set;

/**
 * What 抖店's answer codes mean to the hub. Success is {@code code == 10000}; the others come from
 * 抖店's platform error table (平台基础错误码): {@code code} says the family, {@code sub_code} the
 * cause. Messages quote method, code, msg, sub_code and sub_msg, never a URL (which carries the
 * access_token) or a secret.
 */
public final class DoudianErrors {

    /** {@code code} of a successful answer. */
    public static final long SUCCESS = 10000;

    /** {@code sub_code}s saying the access_token is expired, gone or not this app's: refresh and retry once. */
    public static final Set<String> STALE_TOKEN = Set.of(
            "isv.access-token-expired", "isv.access-token-no-existed", "isv.access-token-invalid");

    /** {@code sub_code}s of {@code token.refresh} saying the refresh_token is gone: create a new token instead. */
    static final Set<String> REFRESH_TOKEN_GONE = Set.of(
            "dop.token-generate-failed:token-expired", "dop.token-generate-failed:token-invalid",
            "isv.business-failed:31009");

    /** {@code sub_code}s of code 40003 caused by the app's credentials rather than the call. */
    static final Set<String> BAD_APP = Set.of(
            "isv.signature-invalid", "isv.app-id-invalid", "isv.app-id-expired", "isv.authorization-type-invalid");

    static final long SERVICE_UNAVAILABLE = 20000;
    static final long SERVICE_TIMEOUT = 20001;
    static final long PERMISSION_DENIED = 30001;
    static final long IP_NOT_WHITELISTED = 30002;
    static final long INVALID_PARAM = 40003;
    static final long PLATFORM_FAILED = 50001;
    static final long RATE_LIMITED = 60000;
    static final long SERVICE_OFFLINE = 70000;
    static final long UNKNOWN = 90000;

    /** 抖店 limits calls per second per API; a few seconds let the window pass with room to spare. */
    static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(5);

    private DoudianErrors() {
    }

    /** Whether an answer says the access_token must be refreshed. */
    public static boolean isStaleToken(long code, String subCode) {
        return code == INVALID_PARAM && STALE_TOKEN.contains(subCode);
    }

    /** Whether a {@code token.refresh} answer says to fall back to {@code token.create}. */
    static boolean isRefreshTokenGone(String subCode) {
        return REFRESH_TOKEN_GONE.contains(subCode);
    }

    /** The typed error for a failed API call (not a token call, see {@link #ofTokenCall}). */
    public static ConnectorException ofApiCall(String method, long code, String msg, String subCode, String subMsg) {
        String what = describe(method, code, msg, subCode, subMsg);
        if (code == SERVICE_UNAVAILABLE || code == SERVICE_TIMEOUT || code == UNKNOWN) {
            return new TransientException("抖店 is unavailable: " + what);
        }
        if (code == RATE_LIMITED) {
            return new RateLimitedException("抖店 rate limit reached: " + what, RATE_LIMIT_WAIT);
        }
        if (code == PERMISSION_DENIED || code == IP_NOT_WHITELISTED || code == SERVICE_OFFLINE
                || (code == INVALID_PARAM && (BAD_APP.contains(subCode) || subCode.startsWith("isv.timestamp")))) {
            return new ConfigException("抖店 refused this instance's app, shop authorization or permissions: " + what);
        }
        // 40001/40002/40004 (parameters), 50002 (business failure, e.g. an unknown order), 80000:
        // 抖店 will refuse the same call again; an operator can replay it once the cause is fixed.
        return new DoudianRefusal(code, subCode, "抖店 refused the call: " + what);
    }

    /**
     * The typed error for a failed {@code token.create} or {@code token.refresh}: apart from an
     * outage or the rate limit, the instance cannot work until an operator changes its configuration
     * or the shop authorizes the app again.
     */
    public static ConnectorException ofTokenCall(String method, long code, String msg, String subCode, String subMsg) {
        String what = describe(method, code, msg, subCode, subMsg);
        if (code == SERVICE_UNAVAILABLE || code == SERVICE_TIMEOUT) {
            return new TransientException("抖店 is unavailable: " + what);
        }
        if (code == RATE_LIMITED) {
            return new RateLimitedException("抖店 rate limit reached: " + what, RATE_LIMIT_WAIT);
        }
        if ((code == INVALID_PARAM && BAD_APP.contains(subCode)) || subCode.endsWith(":app-secret-invalid")) {
            return new ConfigException("抖店 rejected the app-key/app-secret: " + what);
        }
        return new ConfigException("抖店 refused an access token for this shop (check app-key, app-secret, shop-id "
                + "and that the shop authorized the app): " + what);
    }

    private static String describe(String method, long code, String msg, String subCode, String subMsg) {
        // 抖店's own words, quoted for the operator; cut, since an answer may carry any amount of text.
        msg = DouyinJson.cut(msg);
        subCode = DouyinJson.cut(subCode);
        subMsg = DouyinJson.cut(subMsg);
        StringBuilder text = new StringBuilder(method).append(" answered ").append(code);
        if (!msg.isEmpty()) {
            text.append(' ').append(msg);
        }
        if (!subCode.isEmpty() || !subMsg.isEmpty()) {
            text.append(" (").append(subCode);
            if (!subMsg.isEmpty()) {
                text.append(subCode.isEmpty() ? "" : " ").append(subMsg);
            }
            text.append(')');
        }
        return text.toString();
    }

    /**
     * 抖店 refused a call in a way that retrying cannot fix; a {@link BadInputException} that also
     * tells callers which code it was.
     */
    public static final class DoudianRefusal extends BadInputException {

        private final long code;
        private final String subCode;

        public DoudianRefusal(long code, String subCode, String message) {
            super(message);
            this.code = code;
            this.subCode = subCode;
        }

        public long code() {
            return code;
        }

        public String subCode() {
            return subCode;
        }
    }
}
