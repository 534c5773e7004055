package io.omnihub.hub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses state-changing requests a browser sends on behalf of another site, whatever credentials
 * they carry (a session cookie, or Basic credentials a browser cached): the Fetch Metadata and
 * {@code Origin} check that Go's {@code net/http.CrossOriginProtection} made standard.
 *
 * <ol>
 *   <li>GET, HEAD and OPTIONS change nothing and pass.</li>
 *   <li>An {@code Origin} among the trusted origins ({@code hub.security.trusted-origins}) passes.</li>
 *   <li>With {@code Sec-Fetch-Site}, only {@code same-origin} and {@code none} (the user's own
 *       navigation) pass; {@code same-site} and {@code cross-site} are refused.</li>
 *   <li>Without it (an older browser, or plain HTTP to a host other than localhost), an {@code Origin}
 *       whose host and port differ from the request's {@code Host} is refused; so is {@code Origin: null}.</li>
 *   <li>A request with neither header comes from no browser (curl, an integration) and passes: it
 *       cannot have been forged by a web page.</li>
 * </ol>
 */
final class CrossOriginGuard extends OncePerRequestFilter {

    private final Set<String> trustedOrigins;

    /** @param trustedOrigins origins ({@code https://console.example.com}) allowed besides the hub's own */
    CrossOriginGuard(List<String> trustedOrigins) {
        this.trustedOrigins = trustedOrigins.stream().map(CrossOriginGuard::normalize).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request);
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        ProblemAuthenticationEntryPoint.write(response, request, HttpStatus.FORBIDDEN, refusal);
    }

    /** Why the request is refused, or null when it may pass. */
    String refusal(HttpServletRequest request) {
        if (isSafe(request.getMethod())) {
            return null;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && trustedOrigins.contains(normalize(origin))) {
            return null;
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            String site = fetchSite.trim().toLowerCase(Locale.ROOT);
            return site.equals("same-origin") || site.equals("none") ? null
                    : "cross-site request refused (Sec-Fetch-Site: " + site + "): the hub changes nothing on behalf of another site";
        }
        if (origin == null) {
            return null;
        }
        String host = request.getHeader("Host");
        String originHost = hostAndPort(origin);
        if (originHost == null || host == null || !originHost.equalsIgnoreCase(host.trim())) {
            return "cross-origin request refused (Origin: " + origin + "): the hub changes nothing on behalf of another site";
        }
        return null;
    }

    static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }

    /** {@code host[:port]} of an origin as a Host header would name it, or null for {@code null} and garbage. */
    private static String hostAndPort(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() == null) {
                return null;
            }
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
