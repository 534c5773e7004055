package io.omnihub.testkit;

import io.omnihub.connector.webhook.WebhookRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds {@link WebhookRequest}s for tests, the way the hub would hand them to a handler.
 *
 * <pre>{@code
 * byte[] body = WebhookRequests.resource(getClass(), "wechat/subscribe.xml");
 * WebhookRequest request = WebhookRequests.post(body)
 *         .query("timestamp", "1716200000").query("nonce", "42").query("signature", sign(...))
 *         .header("Content-Type", "text/xml")
 *         .receivedAt(now)
 *         .build();
 * }</pre>
 */
public final class WebhookRequests {

    private WebhookRequests() {
    }

    /** A POST with these exact body bytes. */
    public static Builder post(byte[] body) {
        return new Builder("POST").body(body);
    }

    /** A POST whose body is {@code body} encoded as UTF-8. */
    public static Builder post(String body) {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A GET (handshake) without a body. */
    public static Builder get() {
        return new Builder("GET");
    }

    /** A builder starting from a copy of {@code request}, to change one part of it. */
    public static Builder from(WebhookRequest request) {
        Builder builder = new Builder(request.method()).body(request.body()).receivedAt(request.receivedAt());
        request.query().forEach((name, values) -> builder.query.put(name, new ArrayList<>(values)));
        request.headers().forEach((name, values) -> builder.headers.put(name, new ArrayList<>(values)));
        return builder;
    }

    /** The bytes of a classpath resource next to {@code anchor} (or absolute with a leading {@code /}). */
    public static byte[] resource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource '" + name + "' next to " + anchor.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Assembles a {@link WebhookRequest}; names keep their insertion order. */
    public static final class Builder {
        private final String method;
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private Instant receivedAt = Instant.EPOCH;

        private Builder(String method) {
            this.method = method;
        }

        /** Adds a (URL-decoded) query parameter value. */
        public Builder query(String name, String value) {
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        /** Replaces every value of query parameter {@code name}. */
        public Builder replaceQuery(String name, String value) {
            query.put(name, new ArrayList<>(List.of(value)));
            return this;
        }

        /** Adds a header value. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        /** Replaces every value of header {@code name} (matched ignoring case). */
        public Builder replaceHeader(String name, String value) {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, new ArrayList<>(List.of(value)));
            return this;
        }

        /** The raw body bytes. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body").clone();
            return this;
        }

        /** When the hub received the request; defaults to the epoch, so set it to the test's now. */
        public Builder receivedAt(Instant receivedAt) {
            this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
            return this;
        }

        public WebhookRequest build() {
            Map<String, List<String>> q = new LinkedHashMap<>();
            query.forEach((k, v) -> q.put(k, List.copyOf(v)));
            Map<String, List<String>> h = new LinkedHashMap<>();
            headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
            return new WebhookRequest(method, q, h, body.clone(), receivedAt);
        }
    }
}
