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

/**
 * What Tencent Cloud's error {@code Code}s mean to the hub, whether they come as the request's
 * {@code Response.Error} or as one number's {@code SendStatusSet[].Code}. Messages quote code and
 * Tencent's message, never the request.
 */
final class TencentErrors {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private TencentErrors() {
    }

    /**
     * The typed error for {@code code}. Per-number limits ({@code LimitExceeded.PhoneNumber*},
     * {@code LimitExceeded.DeliveryFrequencyLimit}) refuse this message only (see
     * {@link AliyunErrors#of} for why they are not quotas of the account).
     */
    static ConnectorException of(int httpStatus, String code, String message, Clock clock) {
        String what = "Tencent Cloud SMS answered " + code + (message == null || message.isBlank() ? "" : " (" + message + ")");
        if (code.startsWith("RequestLimitExceeded")) {
            return new RateLimitedException(what, Duration.ofSeconds(1));
        }
        if (code.equals("LimitExceeded.AppDailyLimit") || code.equals("LimitExceeded.DailyLimit")
                || code.equals("LimitExceeded.AppGlobalDailyLimit") || code.equals("LimitExceeded.AppMainlandChinaDailyLimit")) {
            ZonedDateTime now = clock.instant().atZone(CHINA);
            return new RateLimitedException(what, Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(CHINA)));
        }
        if (code.startsWith("AuthFailure.SignatureExpire")) {
            // The hub's clock is off by more than five minutes: retrying later does not fix it, an operator does.
            return new ConfigException(what + ": the hub's clock differs from Tencent's by more than five minutes");
        }
        if (code.startsWith("AuthFailure") || code.startsWith("UnauthorizedOperation")
                || code.equals("InvalidParameterValue.SdkAppIdNotExist") || code.equals("FailedOperation.InsufficientBalanceInSmsPackage")
                || code.equals("IpNotInWhitelist") || code.equals("FailedOperation.SmsPackageInsufficient")) {
            return new ConfigException(what + ": check this instance's SecretId, SecretKey, SmsSdkAppId and the account");
        }
        if (code.startsWith("InternalError") || httpStatus >= 500) {
            return new TransientException(what);
        }
        // InvalidParameter*, FailedOperation.TemplateIncorrectOrUnapproved / SignatureIncorrectOrUnapproved /
        // PhoneNumberInBlacklist / ContainSensitiveWord, per-number limits and anything unknown.
        return new BadInputException(what);
    }
}
