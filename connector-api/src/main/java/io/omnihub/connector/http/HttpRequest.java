package io.omnihub.connector.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to a channel.
 *
 * @param method  HTTP method
 * @param uri     absolute URI, query included
 * @param headers request headers
 * @param body    body bytes, empty for none
 * @param timeout how long to wait for the answer
 * @param readOnly whether the request only reads, although its method is not GET: many channel
 *                 APIs (TOP, 抖店, Kingdee) read over POST. The hub may retry a read-only request
 *                 after a transport failure or a 5xx answer; see {@link #asReadOnly()}.
 */
public record HttpRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body, Duration timeout,
        boolean readOnly) {

    /** The timeout used by the factory methods; channels answer well within it. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** A request that is not marked read-only; GET and HEAD count as read-only anyway. */
    public HttpRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body, Duration timeout) {
        this(method, uri, headers, body, timeout, false);
    }

    public static HttpRequest get(URI uri) {
        return new HttpRequest("GET", uri, Map.of(), new byte[0], DEFAULT_TIMEOUT);
    }

    public static HttpRequest postJson(URI uri, String json) {
        return new HttpRequest("POST", uri, Map.of("Content-Type", List.of("application/json;charset=UTF-8")),
                json.getBytes(StandardCharsets.UTF_8), DEFAULT_TIMEOUT);
    }

    /**
     * This request marked as only reading, so the hub may repeat it (a query sent as POST). Never
     * mark a request that changes anything on the channel.
     */
    public HttpRequest asReadOnly() {
        return new HttpRequest(method, uri, headers, body, timeout, true);
    }

    /** Whether repeating this request cannot change anything on the channel. */
    public boolean idempotent() {
        return readOnly || "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
    }
}
