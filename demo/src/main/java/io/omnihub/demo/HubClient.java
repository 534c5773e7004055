package io.omnihub.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The hub as the channels and the brand's own systems reach it: webhooks to {@code /hooks/...}
 * (no login, signed by the channel), canonical events to {@code POST /api/v1/events} (HTTP Basic as
 * a machine client), and the demo's own journey to {@code PUT /api/v1/journeys/...}.
 */
final class HubClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String authorization;

    HubClient(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A channel's push: {@code POST /hooks/<connector>/<instance><query>} with the channel's headers. */
    void push(String connector, String instance, String query, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/hooks/" + connector + "/" + instance + query))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        send(request.build(), connector + "/" + instance, 200);
    }

    /** Canonical events (CloudEvents JSON) from a system without a connector. */
    void events(String cloudEventsJson) {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/events"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/cloudevents+json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(cloudEventsJson, StandardCharsets.UTF_8))
                .build(), "POST /api/v1/events", 202);
    }

    /** Writes a journey over {@code PUT /api/v1/journeys/<id>}, as the brand's marketing team would in the console. */
    void journey(String id, String yaml) {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/journeys/" + id))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/yaml")
                .header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8))
                .build(), "PUT /api/v1/journeys/" + id, 200);
    }

    private void send(HttpRequest request, String what, int expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != expected) {
                Log.line("  ! the hub answered " + what + " with " + response.statusCode() + ": " + abbreviate(response.body()));
            }
        } catch (IOException e) {
            Log.line("  ! the hub did not answer " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
