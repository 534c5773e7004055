package ${package};

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ${channelName}'s REST API, over the hub's HTTP client (which adds retries, a circuit breaker and
 * rate limiting: never retry here). Every call carries {@code Authorization: Bearer <api-key>}.
 * Answers the channel refuses become the SDK's typed errors in {@link #refusal}.
 */
final class ${className}ApiClient {

    /** How long to wait after a 429 that does not say. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChannelHttpClient http;
    private final URI baseUrl;
    private final String apiKey;

    /** @param baseUrl the API's address without a trailing slash, as {@code InstanceConfig.requireUrl} reads it */
    ${className}ApiClient(ChannelHttpClient http, URI baseUrl, String apiKey) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** {@code GET /v1/ping}: the cheapest call that proves the API key. */
    HttpResponse ping() {
        return http.send(request("GET", "/v1/ping", null, Map.of()));
    }

    /** {@code GET /v1/changes?cursor=<cursor>}: the changes after {@code cursor}, oldest first. */
    JsonNode changes(Optional<String> cursor) {
        String query = cursor.map(c -> "?cursor=" + URLEncoder.encode(c, StandardCharsets.UTF_8)).orElse("");
        HttpResponse response = http.send(request("GET", "/v1/changes" + query, null, Map.of()));
        if (!response.isSuccess()) {
            throw refusal(response, "GET /v1/changes");
        }
        return json(response, "GET /v1/changes");
    }

    /** {@code POST /v1/messages} with {@code idempotencyKey}: ${channelName} sends a message once per key. */
    JsonNode sendMessage(String idempotencyKey, Map<String, Object> message) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new BadInputException("cannot write the ${channelName} message: " + e.getMessage());
        }
        HttpResponse response = http.send(request("POST", "/v1/messages", body, Map.of(
                "Content-Type", List.of("application/json"),
                "Idempotency-Key", List.of(idempotencyKey))));
        if (!response.isSuccess()) {
            throw refusal(response, "POST /v1/messages");
        }
        return json(response, "POST /v1/messages");
    }

    /**
     * What a refused call means for the hub: a quota waits, a 5xx is retried, a rejected key stops
     * the instance until its configuration changes, anything else can never succeed.
     */
    static ConnectorException refusal(HttpResponse response, String call) {
        int status = response.status();
        String code = errorCode(response);
        if (status == 429) {
            Duration wait = response.headers().entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase("Retry-After"))
                    .flatMap(header -> header.getValue().stream())
                    .findFirst()
                    .flatMap(${className}ApiClient::seconds)
                    .orElse(DEFAULT_RETRY_AFTER);
            return new RateLimitedException("${channelName} quota reached on " + call + code, wait);
        }
        if (status >= 500) {
            return new TransientException("${channelName} answered HTTP " + status + " to " + call + code);
        }
        if (status == 401 || status == 403) {
            return new ConfigException("${channelName} rejected the API key (HTTP " + status + ") on " + call);
        }
        return new BadInputException("${channelName} refused " + call + ": HTTP " + status + code);
    }

    private HttpRequest request(String method, String path, byte[] body, Map<String, List<String>> headers) {
        Map<String, List<String>> all = new java.util.HashMap<>(headers);
        all.put("Authorization", List.of("Bearer " + apiKey));
        all.put("Accept", List.of("application/json"));
        return new HttpRequest(method, URI.create(baseUrl + path), all, body, HttpRequest.DEFAULT_TIMEOUT);
    }

    private static JsonNode json(HttpResponse response, String call) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new TransientException("${channelName} answered " + call + " with something that is not JSON");
        }
    }

    /** The channel's error code from a JSON error body, never the body itself (it may name a customer). */
    private static String errorCode(HttpResponse response) {
        try {
            String code = JSON.readTree(response.body()).path("error").asText("");
            return code.isBlank() ? "" : " (" + code + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
