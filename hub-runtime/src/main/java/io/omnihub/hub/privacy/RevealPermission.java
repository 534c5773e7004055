package io.omnihub.hub.privacy;

import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;

/**
 * The permission to see a customer's personal data unmasked, asked for per customer with a reason
 * and audited. Admins hold it through the role hierarchy; operators when it is granted to them by
 * name ({@code hub.security.users.<name>.reveal=true}) or to their API token.
 */
public final class RevealPermission {

    /** The authority that carries it. */
    public static final String AUTHORITY = "reveal";

    private RevealPermission() {
    }

    /** Whether {@code authorities} (the role hierarchy already applied) include it. */
    public static boolean heldBy(Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream().anyMatch(a -> AUTHORITY.equals(a.getAuthority()));
    }
}
