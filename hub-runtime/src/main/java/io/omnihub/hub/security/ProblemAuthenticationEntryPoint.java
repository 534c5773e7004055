package io.omnihub.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Answers API requests without (sufficient) credentials with an RFC 7807 problem instead of a
 * redirect to the login page: 401, 403, or 429 while a login is locked out.
 *
 * <p>The 401 never carries a {@code Basic} challenge: a browser answers one with its password dialog
 * and then sends the credentials by itself with every request to the hub, cross-site ones included.
 * Machine clients send Basic credentials without being asked ({@code curl -u} does) or, better, an
 * API token, which is what the {@code Bearer} challenge names.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String REALM = "OmniHub";

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        if (e instanceof LoginLockedException locked) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, locked.retryAfter().toSeconds())));
            write(response, request, HttpStatus.TOO_MANY_REQUESTS, locked.getMessage());
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
        write(response, request, HttpStatus.UNAUTHORIZED,
                "send an API token (Authorization: Bearer ...) or HTTP Basic credentials; the console logs in at /login");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        if (e instanceof CsrfException) {
            write(response, request, HttpStatus.FORBIDDEN, "missing or wrong CSRF token: a change made through a console session "
                    + "must echo the session's token (GET /api/v1/session); machine clients use an API token");
            return;
        }
        write(response, request, HttpStatus.FORBIDDEN, "your role does not allow this request");
    }

    static void write(HttpServletResponse response, HttpServletRequest request, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String body = "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":" + status.value()
                + ",\"detail\":\"" + detail + "\",\"instance\":\"" + jsonEscape(request.getRequestURI()) + "\"}";
        response.getWriter().write(body);
    }

    private static String jsonEscape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
