package io.omnihub.connectors.wechat;

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
 * What WeChat's {@code errcode}s mean to the hub. Official Account and WeCom share this family of
 * codes; messages quote code, {@code errmsg} and API path, never a URL (which would carry the
 * access token or secret).
 */
public final class WeChatErrors {

    /** The access token is invalid, expired or superseded: fetch a new one and retry once. */
    public static final Set<Integer> STALE_TOKEN = Set.of(40001, 40014, 42001);
    /** The account's settings are wrong: invalid appid/secret, missing credentials, IP whitelist, no permission. */
    static final Set<Integer> CONFIG = Set.of(40013, 40125, 41002, 41004, 40164, 48001, 60020);
    /** The action can never succeed as sent: invalid openid, not a follower, refused subscription. */
    static final Set<Integer> BAD_RECIPIENT = Set.of(40003, 43004, 43101);

    static final int SYSTEM_BUSY = -1;
    static final int DAILY_QUOTA = 45009;
    static final int MINUTE_QUOTA = 45011;

    /** Quotas reset at midnight Beijing time. */
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private WeChatErrors() {
    }

    /**
     * The typed error for a non-zero {@code errcode} of an API call (the token endpoint has its own
     * rule, see {@link #ofTokenFetch}).
     */
    public static ConnectorException ofApiCall(String path, int errcode, String errmsg, Clock clock) {
        String what = path + " answered " + errcode + " " + errmsg;
        if (errcode == SYSTEM_BUSY) {
            return new TransientException("WeChat is busy: " + what);
        }
        if (errcode == DAILY_QUOTA || errcode == MINUTE_QUOTA) {
            return rateLimited(errcode, what, clock);
        }
        if (CONFIG.contains(errcode)) {
            return new ConfigException("WeChat refused this instance's credentials or permissions: " + what);
        }
        if (BAD_RECIPIENT.contains(errcode)) {
            return new WeChatRefusal(errcode, "WeChat refused the recipient: " + what);
        }
        // Every other code is a parameter WeChat will refuse again (400xx invalid, 41xxx missing,
        // 47xxx unparsable, 84xxx not found): retrying cannot help, an operator can replay.
        return new WeChatRefusal(errcode, "WeChat refused the call: " + what);
    }

    /**
     * The typed error for a non-zero {@code errcode} from {@code /cgi-bin/token} or
     * {@code /cgi-bin/gettoken}. There, anything but "busy" and a quota means the credentials or
     * their whitelist are wrong (40001 is the wrong AppSecret here, not a stale token), so the
     * instance cannot work until an operator changes its configuration.
     */
    public static ConnectorException ofTokenFetch(int errcode, String errmsg, Clock clock) {
        String what = errcode + " " + errmsg;
        if (errcode == SYSTEM_BUSY) {
            return new TransientException("WeChat is busy: " + what);
        }
        if (errcode == DAILY_QUOTA || errcode == MINUTE_QUOTA) {
            return rateLimited(errcode, "access token " + what, clock);
        }
        return new ConfigException("WeChat rejected the credentials: " + what);
    }

    private static RateLimitedException rateLimited(int errcode, String what, Clock clock) {
        if (errcode == MINUTE_QUOTA) {
            return new RateLimitedException("WeChat minute quota reached: " + what, Duration.ofSeconds(60));
        }
        ZonedDateTime now = clock.instant().atZone(CHINA);
        ZonedDateTime midnight = now.toLocalDate().plusDays(1).atStartOfDay(CHINA);
        return new RateLimitedException("WeChat daily quota reached: " + what, Duration.between(now, midnight));
    }

    /**
     * WeChat refused a call in a way that retrying cannot fix; a {@link BadInputException} that also
     * tells callers which {@code errcode} it was.
     */
    public static final class WeChatRefusal extends BadInputException {

        private final int errcode;

        public WeChatRefusal(int errcode, String message) {
            super(message);
            this.errcode = errcode;
        }

        public int errcode() {
            return errcode;
        }
    }
}
