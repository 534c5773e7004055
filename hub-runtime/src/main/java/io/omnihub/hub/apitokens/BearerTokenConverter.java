package io.omnihub.hub.apitokens;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;

/**
 * Reads {@code Authorization: Bearer <token>} (RFC 6750, header only: a token in a URL would end up
 * in access logs). Requests without it are left to the other ways of logging in.
 */
public final class BearerTokenConverter implements AuthenticationConverter {

    private static final String SCHEME = "bearer ";
    private final WebAuthenticationDetailsSource details = new WebAuthenticationDetailsSource();

    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.length() < SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = header.substring(SCHEME.length()).trim();
        if (token.isEmpty()) {
            throw new BadCredentialsException("empty bearer token");
        }
        ApiTokenAuthentication unchecked = ApiTokenAuthentication.unchecked(token);
        unchecked.setDetails(details.buildDetails(request));
        return unchecked;
    }

    /** Whether a request authenticates itself with a bearer token (never sent by a browser on its own). */
    public static boolean carriesBearerToken(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }
}
