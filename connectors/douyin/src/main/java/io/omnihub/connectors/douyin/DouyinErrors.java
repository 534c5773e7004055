package io.omnihub.connectors.douyin;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import java.time.Duration;
import java.util.Set;

/**
 * What the Douyin Open Platform's {@code error_code}s mean to the hub. Messages quote the code,
 * Douyin's {@code description} and the API path, never a token or secret.
 */
public final class DouyinErrors {

    /**
     * The client_token is invalid or expired: fetch a new one and retry once. 2190002/2190008 are
     * the v1 OpenAPI codes, 28001003/28001008 the newer ones (codes unconfirmed by an official table).
     */
    public static final Set<Long> STALE_TOKEN = Set.of(2190002L, 2190008L, 28001003L, 28001008L);
    /** client_token errors that mean the configuration is wrong: bad params, unknown client_key, bad key/secret. */
    static final Set<Long> BAD_CREDENTIALS = Set.of(10002L, 10003L, 10013L);
    /** client_token quota: 500 calls per 5 minutes. */
    static final long TOKEN_QUOTA = 10020L;
    static final Duration TOKEN_QUOTA_WINDOW = Duration.ofMinutes(5);

    private DouyinErrors() {
    }

    /**
     * The typed error for a non-zero {@code error_code} from {@code /oauth/client_token/}: there,
     * anything but the quota means the instance cannot work until its configuration changes.
     */
    public static ConnectorException ofTokenFetch(long code, String description) {
        String what = code + " " + DouyinJson.cut(description);
        if (code == TOKEN_QUOTA) {
            return new RateLimitedException("Douyin client_token quota (500 per 5 min) reached: " + what, TOKEN_QUOTA_WINDOW);
        }
        if (BAD_CREDENTIALS.contains(code)) {
            return new ConfigException("Douyin rejected the client-key/client-secret: " + what);
        }
        return new ConfigException("Douyin refused to issue a client_token: " + what);
    }

    /** The typed error for a non-zero {@code error_code} of an API call made with the client_token. */
    public static ConnectorException ofApiCall(String path, long code, String description) {
        String what = path + " answered " + code + " " + DouyinJson.cut(description);
        if (code == TOKEN_QUOTA) {
            return new RateLimitedException("Douyin quota reached: " + what, TOKEN_QUOTA_WINDOW);
        }
        if (code == -1 || code == 2100004L) {
            return new TransientException("Douyin is busy: " + what);
        }
        // Parameters Douyin refuses now it will refuse again: retrying cannot help, an operator can replay.
        return new BadInputException("Douyin refused the call: " + what);
    }
}
