package io.omnihub.connectors.pos;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;

/**
 * What a Pospal error envelope ({@code {"status":"error","messages":[..],"errorCode":..}}) means to
 * the hub.
 *
 * <p>Pospal publishes no stable list of error codes, so the messages decide (PROTOCOLS §6 marks
 * this area unverified): a message about the signature, the appId or permissions is a
 * configuration error; one about access frequency or counts is a quota; one about a busy system
 * is transient. Anything else is a refusal that repeating cannot fix. Messages quote Pospal's text
 * and the API path, never the app key.
 */
public final class PospalErrors {

    static final Pattern QUOTA = Pattern.compile("(?i)频率|频繁|次数|访问量|上限|限流|rate.?limit|too many|frequen|quota");
    static final Pattern DAILY = Pattern.compile("(?i)每日|每天|当日|今日|今天|daily|per day");
    static final Pattern CREDENTIALS = Pattern.compile(
            "(?i)签名|验签|sign|appid|app_id|appkey|密钥|授权|权限|认证|白名单|unauthori|forbidden|whitelist");
    static final Pattern BUSY = Pattern.compile("(?i)繁忙|系统错误|系统异常|稍后|超时|busy|timeout|temporar");
    static final Pattern NOT_FOUND = Pattern.compile("(?i)不存在|未找到|查无|not exist|not found");

    /** A per-minute quota is assumed when Pospal does not say which one was reached. */
    static final Duration MINUTE_QUOTA_WAIT = Duration.ofSeconds(60);

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** How much of Pospal's own error text a message quotes. */
    static final int QUOTE_LIMIT = 200;

    private PospalErrors() {
    }

    /** {@code text} cut to {@code limit} characters: an answer may carry any amount of text. */
    static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "...";
    }

    /** The typed error for an error envelope answered on {@code path}. */
    public static ConnectorException of(String path, String errorCode, String messages, Clock clock) {
        String what = path + " answered " + (errorCode.isEmpty() ? "" : "errorCode " + errorCode + " ") + messages;
        if (QUOTA.matcher(messages).find()) {
            if (DAILY.matcher(messages).find()) {
                ZonedDateTime now = clock.instant().atZone(CHINA);
                ZonedDateTime midnight = now.toLocalDate().plusDays(1).atStartOfDay(CHINA);
                return new RateLimitedException("Pospal daily quota reached: " + what, Duration.between(now, midnight));
            }
            return new RateLimitedException("Pospal quota reached: " + what, MINUTE_QUOTA_WAIT);
        }
        if (CREDENTIALS.matcher(messages).find()) {
            return new ConfigException("Pospal refused this instance's credentials: " + what
                    + "; check app-id, app-key and api-base-url (the area host of the account)");
        }
        if (BUSY.matcher(messages).find()) {
            return new TransientException("Pospal is busy: " + what);
        }
        return new PospalRefusal(errorCode, "Pospal refused the call: " + what);
    }

    /** Whether an error envelope's messages say that the thing asked for does not exist. */
    static boolean isNotFound(String messages) {
        return NOT_FOUND.matcher(messages).find() && !CREDENTIALS.matcher(messages).find();
    }

    /**
     * Pospal refused a call in a way that repeating cannot fix; a {@link BadInputException} that also
     * tells callers the {@code errorCode}.
     */
    public static final class PospalRefusal extends BadInputException {

        private final String errorCode;

        public PospalRefusal(String errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }

        /** Pospal's {@code errorCode} as sent, empty when it sent none. */
        public String errorCode() {
            return errorCode;
        }
    }
}
