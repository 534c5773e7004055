package io.omnihub.hub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The hub's API as the systems around it call it: a shop, a web form, a help desk and a churn model
 * posting canonical events; staff reading and completing tasks; operators writing definitions.
 */
final class AutomationApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String authorization;

    AutomationApi(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A canonical event as CloudEvents JSON from {@code source} ({@code /connectors/<system>/<instance>}). */
    static ObjectNode event(String id, String type, String source, Instant time) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", source);
        e.put("type", type);
        e.put("time", time.toString());
        e.put("datacontenttype", "application/json");
        ObjectNode data = e.putObject("data");
        data.put("receivedAt", time.toString());
        data.putArray("identities");
        return e;
    }

    static ObjectNode openid(ObjectNode event, String openid, String appId) {
        ObjectNode id = ((ArrayNode) event.path("data").path("identities")).addObject();
        id.put("type", "wechat_openid");
        id.put("value", openid);
        id.put("namespace", appId);
        return event;
    }

    static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.path("data");
    }

    HttpResponse<String> postEvents(JsonNode body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/events"))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    HttpResponse<String> postJson(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    HttpResponse<String> putDefinition(String kindPlural, String id, String yaml) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/" + kindPlural + "/" + id))
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)));
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE());
    }

    HttpResponse<String> completeTask(String taskId, String by, String note) {
        ObjectNode body = JSON.createObjectNode();
        body.put("by", by);
        body.put("note", note);
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/tasks/" + taskId + "/complete"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    JsonNode get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    Optional<JsonNode> customerByOpenid(String openid, String appId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/customers?identity="
                + URLEncoder.encode("wechat_openid:" + openid, StandardCharsets.UTF_8) + "&namespace=" + appId)).GET());
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(parse(response.body()));
    }

    /** Whether the customer's timeline holds event {@code eventId}: the pipeline has applied it. */
    boolean applied(String openid, String appId, String eventId) {
        return customerByOpenid(openid, appId).map(c -> c.path("timeline").toString().contains("\"" + eventId + "\"")).orElse(false);
    }

    /** Whether {@code /api/v1/connectors} lists every one of these instances (by name): the hub has opened them. */
    boolean listsInstances(String... instances) {
        String connectors = get("/api/v1/connectors").toString();
        return Stream.of(instances).allMatch(instance -> connectors.contains("\"" + instance + "\""));
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", authorization).header("Accept", "application/json, application/problem+json")
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("hub unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
