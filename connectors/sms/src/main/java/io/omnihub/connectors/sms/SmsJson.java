package io.omnihub.connectors.sms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The plugin's one JSON mapper, nesting limited: callbacks come from the internet. */
final class SmsJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private SmsJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The answer as JSON, or empty when it is none (a proxy's HTML error page). */
    static Optional<JsonNode> read(HttpResponse response) {
        try {
            JsonNode node = MAPPER.readTree(response.body());
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** A vendor answer that is not JSON: a gateway or proxy failed, so a retry may get through. */
    static TransientException unreadable(String vendor, HttpResponse response) {
        return new TransientException(vendor + " answered HTTP " + response.status() + " without a JSON body");
    }

    /** {@code Retry-After} in seconds, else {@code fallback}. */
    static Duration retryAfter(HttpResponse response, Duration fallback) {
        return response.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Retry-After") && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0).trim())
                .filter(v -> v.matches("\\d{1,6}"))
                .map(v -> Duration.ofSeconds(Math.max(1, Long.parseLong(v))))
                .findFirst().orElse(fallback);
    }
}
