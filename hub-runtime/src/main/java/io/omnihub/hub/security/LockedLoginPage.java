package io.omnihub.hub.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

/**
 * What the login form answers when a login fails: back to the form with "Invalid credentials", or,
 * while the user name or address is locked out, a page (429) that says for how long.
 */
final class LockedLoginPage implements AuthenticationFailureHandler {

    private final AuthenticationFailureHandler wrongPassword = new SimpleUrlAuthenticationFailureHandler("/login?error");

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, ServletException {
        if (!(e instanceof LoginLockedException locked)) {
            wrongPassword.onAuthenticationFailure(request, response, e);
            return;
        }
        long seconds = Math.max(1, locked.retryAfter().toSeconds());
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader("Retry-After", Long.toString(seconds));
        response.setContentType("text/html;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>OmniHub: login locked</title></head>"
                + "<body><h1>Too many failed logins</h1><p id=\"locked\">Logins for this user or from this address are refused for "
                + seconds + " more seconds.</p><p><a href=\"/login\">Back to the login page</a></p></body></html>");
    }
}
