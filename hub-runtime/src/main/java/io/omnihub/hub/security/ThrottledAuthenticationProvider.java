package io.omnihub.hub.security;

import java.util.Objects;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Puts a {@link LoginThrottle} in front of a password check: a locked user name or client address
 * is refused before its password is hashed, and every wrong password counts. Used by the login form
 * and by HTTP Basic alike, which both hand over the client's address as {@link WebAuthenticationDetails}.
 */
final class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final LoginThrottle throttle;

    ThrottledAuthenticationProvider(AuthenticationProvider passwords, LoginThrottle throttle) {
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String user = attempt.getName();
        String address = clientAddress(attempt);
        var locked = throttle.lockedFor(user, address);
        if (locked.isPresent()) {
            throw new LoginLockedException(locked.get());
        }
        try {
            Authentication authenticated = passwords.authenticate(attempt);
            if (authenticated != null) {
                throttle.succeeded(user);
            }
            return authenticated;
        } catch (BadCredentialsException e) {
            throttle.failed(user, address);
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwords.supports(authentication);
    }

    static String clientAddress(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
    }
}
