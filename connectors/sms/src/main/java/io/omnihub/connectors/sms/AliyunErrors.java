package io.omnihub.connectors.sms;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * What Aliyun's {@code Code}s mean to the hub. Messages quote the code and Aliyun's message, never
 * the request (which carries the phone number and the signature).
 */
final class AliyunErrors {

    /** The account cannot send until an operator acts: keys, permissions, balance, subscription. */
    static final Set<String> CONFIG = Set.of("InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive",
            "SignatureDoesNotMatch", "IncompleteSignature", "Forbidden.RAM", "isp.RAM_PERMISSION_DENY",
            "isv.ACCOUNT_NOT_EXISTS", "isv.ACCOUNT_ABNORMAL", "isv.PRODUCT_UN_SUBSCRIPT", "isv.PRODUCT_UNSUBSCRIBE",
            "isv.OUT_OF_SERVICE", "isv.AMOUNT_NOT_ENOUGH", "isv.DENY_IP_RANGE", "Forbidden.AccessKeyDisabled");
    /** Account-wide throttling: the whole instance should wait. */
    static final Set<String> THROTTLED = Set.of("Throttling", "Throttling.User", "Throttling.Api", "ServiceUnavailable.Throttling");
    /** The account's daily or monthly sending limit set in the console. */
    static final String DAY_LIMIT = "isv.DAY_LIMIT_CONTROL";
    static final String MONTH_LIMIT = "isv.MONTH_LIMIT_CONTROL";
    /** Aliyun is having trouble, or the nonce collided: a retry can succeed. */
    static final Set<String> TRANSIENT = Set.of("isp.SYSTEM_ERROR", "isp.GATEWAY_ERROR", "isp.OUT_OF_SERVICE",
            "ServiceUnavailable", "InternalError", "SignatureNonceUsed", "InvalidTimeStamp.Expired");

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private AliyunErrors() {
    }

    /**
     * The typed error for an answer whose {@code Code} is not {@code OK}.
     *
     * <p>Per-recipient limits ({@code isv.BUSINESS_LIMIT_CONTROL}: the carrier's minute, hour and day
     * caps for one number) are refusals of this message, not quotas of the account: a
     * {@link RateLimitedException} would open the whole instance's circuit and hold every other
     * customer's messages for one number's cap. They go to the dead-letter queue, from which an
     * operator can replay.
     */
    static ConnectorException of(int httpStatus, String code, String message, Clock clock) {
        String what = "Aliyun SMS answered " + code + (message == null || message.isBlank() ? "" : " (" + message + ")");
        if (THROTTLED.contains(code)) {
            return new RateLimitedException(what, Duration.ofSeconds(60));
        }
        if (DAY_LIMIT.equals(code)) {
            ZonedDateTime now = clock.instant().atZone(CHINA);
            return new RateLimitedException(what, Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(CHINA)));
        }
        if (MONTH_LIMIT.equals(code)) {
            ZonedDateTime now = clock.instant().atZone(CHINA);
            ZonedDateTime next = now.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(CHINA);
            return new RateLimitedException(what, Duration.between(now, next));
        }
        if (CONFIG.contains(code)) {
            return new ConfigException(what + ": check this instance's AccessKey, its RAM permissions and the account");
        }
        if (TRANSIENT.contains(code) || code.startsWith("isp.") || httpStatus >= 500) {
            return new TransientException(what);
        }
        // isv.* parameter errors (template, sign name, phone number, parameters, content), per-number
        // limits and anything unknown: sending the same message again cannot help.
        return new BadInputException(what);
    }
}
