package io.omnihub.connectors.erp;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Kingdee's {@code ResponseStatus} answers mean to the hub.
 *
 * <p>Kingdee answers HTTP 200 with {@code {"Result":{"ResponseStatus":{"IsSuccess":false,
 * "Errors":[{"FieldName":..,"Message":..,"DIndex":0}],"MsgCode":n}}}}; ExecuteBillQuery wraps the
 * same object as {@code [[{...}]]} in place of its rows. {@code MsgCode} is Kingdee's category:
 * 1 context (session) lost, 2 no permission, 7 licence, 8 parameter error, 9 field or value does not
 * exist, 11 validation failed, 13 network-control conflict (another user holds the record),
 * 14 call limit, 15 administrator login forbidden. Messages quote Kingdee's text, never a
 * credential or cookie.
 */
public final class KingdeeErrors {

    static final int CONTEXT_LOST = 1;
    static final int NO_PERMISSION = 2;
    static final int LICENCE = 7;
    static final int PARAMETER = 8;
    static final int NO_SUCH_FIELD = 9;
    static final int VALIDATION = 11;
    static final int NETWORK_CONTROL = 13;
    static final int CALL_LIMIT = 14;
    static final int ADMIN_FORBIDDEN = 15;

    /** The wait when Kingdee says a call limit was reached but not for how long. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    /** Texts Kingdee answers when the session behind the cookies is gone. */
    private static final List<String> SESSION_LOST_TEXTS = List.of("会话信息已丢失", "会话已失效", "会话已过期", "请重新登录");

    /** Codes that say the account itself cannot do this: the configuration must change. */
    private static final Set<Integer> ACCOUNT = Set.of(NO_PERMISSION, LICENCE, ADMIN_FORBIDDEN);

    private KingdeeErrors() {
    }

    /**
     * The {@code ResponseStatus} in an answer, if it has one: the object of a Save answer, or the
     * {@code [[{...}]]} that ExecuteBillQuery answers instead of rows when it fails.
     */
    public static Optional<JsonNode> status(JsonNode answer) {
        JsonNode node = answer;
        if (node == null) {
            return Optional.empty();
        }
        if (node.isArray()) {
            JsonNode first = node.path(0);
            if (first.isArray()) {
                first = first.path(0);
            }
            if (!first.isObject()) {
                return Optional.empty();
            }
            node = first;
        }
        JsonNode status = node.path("Result").path("ResponseStatus");
        return status.isObject() ? Optional.of(status) : Optional.empty();
    }

    /** Whether {@code status} reports failure. */
    static boolean failed(JsonNode status) {
        return !status.path("IsSuccess").asBoolean(false);
    }

    /** Whether the answer says the session is gone and a new login would help. */
    public static boolean sessionLost(JsonNode answer) {
        Optional<JsonNode> status = status(answer);
        if (status.isEmpty() || !failed(status.get())) {
            return false;
        }
        if (status.get().path("MsgCode").asInt(-1) == CONTEXT_LOST) {
            return true;
        }
        return mentionsLostSession(describe(status.get()));
    }

    /** Whether a text (a non-JSON answer, an error message) says the session is gone. */
    static boolean mentionsLostSession(String text) {
        return SESSION_LOST_TEXTS.stream().anyMatch(text::contains);
    }

    /** How much of Kingdee's own error text a message quotes. */
    static final int QUOTE_LIMIT = 300;

    /** {@code text} cut to {@link #QUOTE_LIMIT} characters: an answer may carry any amount of text. */
    static String cut(String text) {
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
    }

    /**
     * The errors as {@code FieldName: Message; ...}, or the status' own message when it lists none;
     * cut to {@link #QUOTE_LIMIT} characters.
     */
    public static String describe(JsonNode status) {
        return cut(describeAll(status));
    }

    private static String describeAll(JsonNode status) {
        List<String> parts = new ArrayList<>();
        for (JsonNode error : status.path("Errors")) {
            String field = text(error.path("FieldName"));
            String message = text(error.path("Message"));
            if (message.isEmpty() && field.isEmpty()) {
                continue;
            }
            parts.add(field.isEmpty() ? message : field + ": " + message);
        }
        if (parts.isEmpty()) {
            String message = text(status.path("Message"));
            return message.isEmpty() ? "no error message (MsgCode " + status.path("MsgCode").asInt(-1) + ")" : message;
        }
        return String.join("; ", parts);
    }

    /** The typed error for a failed ExecuteBillQuery on {@code formId}. */
    static ConnectorException ofQuery(String formId, JsonNode status) {
        int code = status.path("MsgCode").asInt(-1);
        String what = "Kingdee refused the query on " + formId + ": " + describe(status) + " (MsgCode " + code + ")";
        if (code == CALL_LIMIT) {
            return new RateLimitedException(what, DEFAULT_RETRY_AFTER);
        }
        if (ACCOUNT.contains(code) || code == PARAMETER || code == NO_SUCH_FIELD || code == VALIDATION) {
            // The query is built from configuration (forms, field keys, credentials): only a new
            // configuration or a permission granted in Kingdee makes it work.
            return new ConfigException(what);
        }
        return new TransientException(what);
    }

    /**
     * The typed error for a failed Save of {@code formId}: the data is refused (bad input) unless the
     * account, a lock or a call limit is the reason.
     */
    static ConnectorException ofSave(String formId, JsonNode status) {
        int code = status.path("MsgCode").asInt(-1);
        String what = "Kingdee refused to save " + formId + ": " + describe(status);
        if (code == CALL_LIMIT) {
            return new RateLimitedException(what, DEFAULT_RETRY_AFTER);
        }
        if (code == NETWORK_CONTROL) {
            return new TransientException(what + " (record locked by another user)");
        }
        if (ACCOUNT.contains(code)) {
            return new ConfigException(what);
        }
        return new BadInputException(what);
    }

    /** Kingdee answered 429: wait as its {@code Retry-After} says, else a minute. */
    static RateLimitedException rateLimited(String service, Optional<String> retryAfter) {
        Duration wait = DEFAULT_RETRY_AFTER;
        if (retryAfter.isPresent()) {
            try {
                long seconds = Long.parseLong(retryAfter.get().trim());
                if (seconds > 0) {
                    wait = Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // An HTTP date: rare from IIS; the default wait is close enough.
            }
        }
        return new RateLimitedException("Kingdee answered HTTP 429 on " + service, wait);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "" : node.asText("").trim();
    }
}
