package io.omnihub.hub.apitokens;

import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import io.omnihub.hub.privacy.RevealPermission;

/**
 * A request's API token: before authentication only the secret a client sent, after it the token's
 * name (as {@code token:<name>}, what audits record) and the role it is scoped to.
 */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final transient String secret;
    private final transient ApiToken token;

    private ApiTokenAuthentication(String secret, ApiToken token, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.secret = secret;
        this.token = token;
        setAuthenticated(token != null);
    }

    /** What a request carried, not checked yet. */
    static ApiTokenAuthentication unchecked(String secret) {
        return new ApiTokenAuthentication(secret, null, List.of());
    }

    /** A checked, active token. */
    static ApiTokenAuthentication of(ApiToken token) {
        List<GrantedAuthority> authorities = new java.util.ArrayList<>(List.of(new SimpleGrantedAuthority("ROLE_" + token.role().name())));
        if (token.reveal()) {
            authorities.add(new SimpleGrantedAuthority(RevealPermission.AUTHORITY));
        }
        return new ApiTokenAuthentication(null, token, authorities);
    }

    /** The checked token, or null before checking. */
    public ApiToken token() {
        return token;
    }

    String secret() {
        return secret;
    }

    @Override
    public Object getCredentials() {
        // Never handed out: the secret is only compared, by its hash.
        return null;
    }

    @Override
    public Object getPrincipal() {
        return getName();
    }

    @Override
    public String getName() {
        return token == null ? "" : "token:" + token.name();
    }

    @Override
    public String toString() {
        return "ApiTokenAuthentication[" + (token == null ? "unchecked" : token.id() + ", " + token.role()) + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiTokenAuthentication that && super.equals(that) && java.util.Objects.equals(token, that.token);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + java.util.Objects.hashCode(token);
    }
}
