package io.omnihub.connector.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A webhook request exactly as received.
 *
 * @param method     {@code GET} or {@code POST}
 * @param query      query parameters, URL-decoded, in arrival order per name
 * @param headers    request headers; look them up with {@link #header(String)}, which ignores case
 * @param body       the raw body bytes: verify signatures over these, never a re-encoded string
 * @param receivedAt when the hub received the request
 */
public record WebhookRequest(
        String method,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        byte[] body,
        Instant receivedAt) {

    public WebhookRequest {
        Objects.requireNonNull(method, "method");
        query = Map.copyOf(query);
        TreeMap<String, List<String>> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        headers = caseless;
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** The first value of header {@code name}, case-insensitively. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** The body decoded as UTF-8, for parsing after the signature was checked on the bytes. */
    public String bodyAsUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isGet() {
        return "GET".equalsIgnoreCase(method);
    }
}
