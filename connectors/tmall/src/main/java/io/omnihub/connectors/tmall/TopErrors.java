package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What TOP's {@code error_response} means to the hub. Messages quote the API, code, msg, sub_code
 * and sub_msg, never a request parameter (the session travels in the request).
 *
 * <p>TOP's platform codes (PROTOCOLS §5): 7 call limited, 10 service unavailable, 11-13
 * insufficient permissions, 15 remote service error (whose {@code isv.*} sub-codes are the
 * caller's fault and {@code isp.*} ones the platform's), 25 invalid signature, 26 missing session,
 * 27 invalid session, 28/29 missing/invalid app key, 31 invalid timestamp, 40/41/43 missing or
 * invalid arguments, 53 session expired.
 */
public final class TopErrors {

    /** The seller's authorisation is missing, invalid or expired: only a new authorisation helps. */
    static final Set<Integer> SESSION = Set.of(26, 27, 53);
    /** The app's own credentials are wrong. */
    static final Set<Integer> APP_CREDENTIALS = Set.of(24, 25, 28, 29);
    /** The app or the seller lacks the permission for the API. */
    static final Set<Integer> PERMISSION = Set.of(11, 12, 13);
    /** The platform failed; the same call may succeed later. */
    static final Set<Integer> PLATFORM = Set.of(10, 15, 50, 520);
    /** The call's arguments are wrong; repeating it cannot help. */
    static final Set<Integer> ARGUMENTS = Set.of(40, 41, 43);
    static final int CALL_LIMITED = 7;
    static final int INVALID_TIMESTAMP = 31;

    /** Used when TOP limits calls without saying for how long. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
    /** e.g. "This ban will last for 71 more seconds". */
    private static final Pattern BAN_SECONDS = Pattern.compile("(\\d+)\\s*more\\s*seconds?", Pattern.CASE_INSENSITIVE);
    /** sub_codes of quota refusals: accesscontrol.limited-by-app-access-count, isv.api-call-limited, ... */
    private static final Pattern LIMIT_SUB_CODE = Pattern.compile("^(accesscontrol\\.limited.*|(isv|isp)\\..*-limited.*)$");

    private TopErrors() {
    }

    /** The typed error for an {@code error_response} object answered to {@code method}. */
    public static ConnectorException of(String method, JsonNode error) {
        int code = error.path("code").asInt(-1);
        // TOP's own words, quoted for the operator; cut, since an answer may carry any amount of text.
        String msg = cut(error.path("msg").asText(""));
        String subCode = cut(error.path("sub_code").asText(""));
        String subMsg = cut(error.path("sub_msg").asText(""));
        String what = method + " answered " + code + " " + msg
                + (subCode.isEmpty() && subMsg.isEmpty() ? "" : " (" + subCode + (subMsg.isEmpty() ? "" : ": " + subMsg) + ")");
        String sub = subCode.toLowerCase(Locale.ROOT);

        if (code == CALL_LIMITED || LIMIT_SUB_CODE.matcher(sub).matches()) {
            return new RateLimitedException("TOP call limit reached: " + what, retryAfter(subMsg + " " + msg));
        }
        if (SESSION.contains(code)) {
            return new ConfigException("TOP refused the seller's session: the session is invalid or expired: "
                    + "authorise the shop again for this app and update '" + TmallConfig.SESSION + "' (" + what + ")");
        }
        if (code == 25 || code == 24) {
            return new ConfigException("TOP refused the request signature: check '" + TmallConfig.APP_SECRET
                    + "' and '" + TmallConfig.SIGN_METHOD + "' (" + what + ")");
        }
        if (APP_CREDENTIALS.contains(code)) {
            return new ConfigException("TOP does not know the app: check '" + TmallConfig.APP_KEY + "' (" + what + ")");
        }
        if (PERMISSION.contains(code)) {
            return new ConfigException("the app or the shop lacks the permission for " + method
                    + ": apply for the API in the TOP console, or authorise the shop again (" + what + ")");
        }
        if (code == INVALID_TIMESTAMP) {
            // Not the configuration: the hub's clock is off; retrying once it is fixed succeeds.
            return new TransientException("TOP refused the timestamp: the hub's clock is more than 10 minutes off "
                    + "Beijing time (" + what + ")");
        }
        if (sub.startsWith("isp.") || (PLATFORM.contains(code) && !sub.startsWith("isv."))) {
            return new TransientException("TOP failed: " + what);
        }
        // 40/41/43 and isv.* business refusals (a trade that does not exist, a window too wide):
        // the same call will be refused again.
        return new TopRefusal(code, subCode, "TOP refused the call: " + what);
    }

    /** How much of each of TOP's error texts a message quotes. */
    static final int QUOTE_LIMIT = 200;

    private static String cut(String text) {
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
    }

    /** How long TOP said the ban lasts, or {@link #DEFAULT_RETRY_AFTER}. */
    static Duration retryAfter(String text) {
        Matcher seconds = BAN_SECONDS.matcher(text);
        if (seconds.find()) {
            try {
                Duration ban = Duration.ofSeconds(Long.parseLong(seconds.group(1)));
                if (ban.isZero()) {
                    return Duration.ofSeconds(1);
                }
                return ban.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : ban;
            } catch (NumberFormatException e) {
                return DEFAULT_RETRY_AFTER;
            }
        }
        return DEFAULT_RETRY_AFTER;
    }

    /**
     * TOP refused a call in a way that retrying cannot fix; a {@link BadInputException} that also
     * tells callers which code and sub_code it was.
     */
    public static final class TopRefusal extends BadInputException {

        private final int code;
        private final String subCode;

        public TopRefusal(int code, String subCode, String message) {
            super(message);
            this.code = code;
            this.subCode = subCode;
        }

        /** TOP's {@code code}. */
        public int code() {
            return code;
        }

        /** TOP's {@code sub_code}, empty when none. */
        public String subCode() {
            return subCode;
        }
    }
}
