package io.omnihub.hub.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import io.omnihub.hub.privacy.RevealPermission;
import java.util.List;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who is logged in, and the CSRF token the console must send with every change it makes through
 * its session cookie (machine clients, which send an API token or Basic credentials with every
 * request and hold no session, need none and get none).
 */
@RestController
@RequestMapping(path = "/api/v1/session", produces = "application/json")
@Tag(name = "session", description = "The logged-in user")
public class SessionController {

    private final RoleHierarchy roleHierarchy;

    public SessionController(RoleHierarchy roleHierarchy) {
        this.roleHierarchy = roleHierarchy;
    }

    /**
     * @param user  the login name
     * @param roles the roles held, the implied ones included ({@code viewer}, {@code operator}, {@code admin})
     * @param csrf  the token to echo in a header on POST, PUT and DELETE, or null for a request without a session
     * @param permissions permissions held besides the roles: {@code reveal} (may reveal a customer's
     *                    personal data, per customer with a reason)
     */
    public record Session(String user, List<String> roles, Csrf csrf, List<String> permissions) {
    }

    /**
     * @param header    the header to send it in
     * @param parameter the form field to send it in (log out)
     * @param token     the token
     */
    public record Csrf(String header, String parameter, String token) {
    }

    @GetMapping
    @Operation(summary = "The logged-in user, the roles they hold and the console's CSRF token")
    public Session session(Authentication authentication, HttpServletRequest request) {
        List<String> held = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        // The role hierarchy: an admin is also an operator and a viewer.
        List<String> roles = new java.util.ArrayList<>();
        boolean admin = held.contains("ROLE_ADMIN");
        boolean operator = admin || held.contains("ROLE_OPERATOR");
        if (admin || operator || held.contains("ROLE_VIEWER")) {
            roles.add("viewer");
        }
        if (operator) {
            roles.add("operator");
        }
        if (admin) {
            roles.add("admin");
        }
        // Reading the token of a request without a session would open one just to keep it.
        CsrfToken token = request.getSession(false) == null ? null : (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return new Session(authentication.getName(), roles,
                token == null ? null : new Csrf(token.getHeaderName(), token.getParameterName(), token.getToken()),
                RevealPermission.heldBy(roleHierarchy.getReachableGrantedAuthorities(authentication.getAuthorities()))
                        ? List.of(RevealPermission.AUTHORITY) : List.of());
    }
}
