package io.omnihub.hub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.crm.MaskedValue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The hub's REST API as an operator's script would call it: HTTP Basic, JSON back. */
final class HubApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String authorization;

    HubApi(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The 360 view of whoever holds the identity, if anyone does. */
    Optional<JsonNode> customerByIdentity(String type, String value, String namespace) {
        String query = "identity=" + URLEncoder.encode(type + ":" + value, StandardCharsets.UTF_8)
                + (namespace == null ? "" : "&namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8));
        HttpResponse<String> response = get("/api/v1/customers?" + query);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(parse(response));
    }

    JsonNode getJson(String path) {
        return parse(get(path));
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", authorization)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("hub unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("API answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("API answered non-JSON: " + response.body(), e);
        }
    }

    /** Whether the (masked) view lists an identity of this type with {@code value} as the API masks it. */
    static boolean hasIdentity(JsonNode customer, String type, String value) {
        for (JsonNode identity : customer.path("identities")) {
            if (type.equals(identity.path("type").asText()) && MaskedValue.of(value).equals(identity.path("value").asText())) {
                return true;
            }
        }
        return false;
    }
}
