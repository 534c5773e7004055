package io.omnihub.hub.security;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/** A login refused without checking its password: the user name or client address failed too often. */
public final class LoginLockedException extends AuthenticationException {

    private final Duration retryAfter;

    public LoginLockedException(Duration retryAfter) {
        super("too many failed logins for this user or from this address: try again in "
                + Math.max(1, retryAfter.toSeconds()) + " s");
        this.retryAfter = retryAfter;
    }

    /** How long the lock still lasts. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
