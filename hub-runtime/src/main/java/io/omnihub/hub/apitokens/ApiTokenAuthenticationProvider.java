package io.omnihub.hub.apitokens;

import io.omnihub.hub.security.LoginLockedException;
import io.omnihub.hub.security.LoginThrottle;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks an {@link ApiTokenAuthentication} against the {@link ApiTokenStore}: one SHA-256 and one
 * indexed lookup, no password hashing. Unknown, revoked and expired tokens count as failed logins
 * of the client's address, so guessing tokens runs into the same lockout as guessing passwords.
 */
public final class ApiTokenAuthenticationProvider implements AuthenticationProvider {

    private final ApiTokenStore store;
    private final LoginThrottle throttle;

    public ApiTokenAuthenticationProvider(ApiTokenStore store, LoginThrottle throttle) {
        this.store = store;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        ApiTokenAuthentication presented = (ApiTokenAuthentication) authentication;
        String address = presented.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
        var locked = throttle.lockedFor(null, address);
        if (locked.isPresent()) {
            throw new LoginLockedException(locked.get());
        }
        return store.authenticate(presented.secret())
                .map(token -> {
                    ApiTokenAuthentication checked = ApiTokenAuthentication.of(token);
                    checked.setDetails(presented.getDetails());
                    return (Authentication) checked;
                })
                .orElseThrow(() -> {
                    throttle.failed(null, address);
                    return new BadCredentialsException("unknown, revoked or expired API token");
                });
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiTokenAuthentication.class.isAssignableFrom(authentication);
    }
}
