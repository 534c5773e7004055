package io.omnihub.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.hub.security.AdminCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The calls the reports' tests make on a running hub as its admin: events in, journeys written, reports read. */
public final class ReportsHttp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port;
    private final AdminCredentials admin;

    public ReportsHttp(int port, AdminCredentials admin) {
        this.port = port;
        this.admin = admin;
    }

    /** A CNY order as an event's {@code order}. */
    public static String order(String id, long totalMinor) {
        return "{\"id\":\"" + id + "\",\"currency\":\"CNY\",\"totalMinor\":" + totalMinor + "}";
    }

    /** An event of {@code connector} at {@code time} from the WeChat user {@code openid}, with an order when not null. */
    public static String event(String id, String type, String connector, String time, String openid, String order) {
        return """
                {"specversion":"1.0","id":"%s","source":"/connectors/%s/api","type":"%s","time":"%s","datacontenttype":"application/json",
                 "data":{"receivedAt":"%s","identities":[{"type":"wechat_openid","value":"%s","namespace":"wxreports","evidence":"verified"}]%s}}
                """.formatted(id, connector, type, time, time, openid, order == null ? "" : ",\"order\":" + order);
    }

    /** Posts a CloudEvent to {@code /api/v1/events}; it must be accepted. */
    public void post(String event) {
        HttpResponse<String> r = exchange("POST", "/api/v1/events", event, "application/cloudevents+json", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /** Writes journey {@code id}; it must be accepted. */
    public void putJourney(String id, String yaml) {
        HttpResponse<String> put = exchange("PUT", "/api/v1/journeys/" + id, yaml, "application/yaml", "application/json");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    public HttpResponse<String> get(String path, String accept) {
        return exchange("GET", path, null, null, accept);
    }

    public HttpResponse<String> exchange(String method, String path, String body, String type, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", accept)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((admin.username() + ":" + admin.password()).getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
