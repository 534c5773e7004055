package io.omnihub.hub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.crm.MaskedValue;
import io.omnihub.hub.RunningHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Merges explained and undone over the API, on the running hub: events in through
 * {@code POST /api/v1/events}, the merge listed with the identifiers that joined and their evidence,
 * undone by an operator and kept undone, a manual merge audited and undone the same way, a lookup
 * without a namespace, and a store phone found shared and decided on by an operator.
 */
class CustomerMergesApiTest extends RunningHub {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void anOperatorSeesWhyTwoProfilesMergedUndoesItAndTheNextEventDoesNotMergeThemAgain() {
        String card = "VIP-" + run;
        String openid = "o" + run + "-merge";
        String phone = "+86139" + (10_000_000 + Math.abs(run.hashCode() % 89_999_999));
        post(event("follow-" + run, "customer.followed", "wechat", identity("wechat_openid", openid, "wxmini", "verified")));
        String follower = awaitCustomer("wechat_openid", openid, "wxmini").path("id").asText();
        post(event("pos-" + run, "profile.updated", "pos", identity("member_card", card, "acme", "verified"),
                identity("phone", phone, null, "stated")));
        String member = awaitCustomer("member_card", card, "acme").path("id").asText();
        assertThat(member).isNotEqualTo(follower);
        // the mini program verifies the follower's phone, which is the member's: the older profile absorbs the younger
        post(event("mini-" + run, "profile.updated", "wechat", identity("wechat_openid", openid, "wxmini", "verified"),
                identity("phone", phone, null, "verified")));
        await().atMost(Duration.ofSeconds(60)).until(() -> awaitCustomer("member_card", card, "acme").path("id").asText().equals(follower));

        JsonNode merges = json(call("GET", "/api/v1/customers/" + member + "/merges", null), 200);
        assertThat(merges).hasSize(1);
        JsonNode merge = merges.get(0);
        assertThat(merge.path("kind").asText()).isEqualTo("event");
        assertThat(merge.path("survivingId").asText()).isEqualTo(follower);
        assertThat(merge.path("mergedId").asText()).isEqualTo(member);
        assertThat(merge.path("evidenceEventId").asText()).isEqualTo("mini-" + run);
        assertThat(merge.path("joined").toString()).contains("\"type\":\"phone\"", "\"evidence\":\"verified\"", "\"side\":\"merged\"",
                "\"type\":\"wechat_openid\"", "\"side\":\"survivor\"");

        JsonNode undone = json(call("POST", "/api/v1/customers/" + follower + "/merges/" + merge.path("id").asText() + "/undo",
                "{\"reason\":\"two people share a phone\"}"), 200);
        assertThat(undone.path("undoneAt").isNull()).isFalse();
        assertThat(undone.path("undoneReason").asText()).contains("two people share a phone");
        assertThat(awaitCustomer("member_card", card, "acme").path("id").asText()).isEqualTo(member);
        assertThat(awaitCustomer("wechat_openid", openid, "wxmini").path("id").asText()).isEqualTo(follower);

        post(event("mini-again-" + run, "profile.updated", "wechat", identity("wechat_openid", openid, "wxmini", "verified"),
                identity("phone", phone, null, "verified")));
        await().atMost(Duration.ofSeconds(60)).until(() -> awaitCustomer("wechat_openid", openid, "wxmini").path("timeline").toString()
                .contains("mini-again-" + run));
        assertThat(awaitCustomer("wechat_openid", openid, "wxmini").path("id").asText()).isEqualTo(follower);
        assertThat(awaitCustomer("member_card", card, "acme").path("id").asText()).isEqualTo(member);
        assertThat(call("POST", "/api/v1/customers/" + follower + "/merges/" + merge.path("id").asText() + "/undo", null).statusCode())
                .isEqualTo(409);
    }

    @Test
    void aManualMergeNeedsAReasonIsAuditedAndIsUndoneTheSameWay() {
        String a = "VIP-a-" + run;
        String b = "VIP-b-" + run;
        post(event("a-" + run, "profile.updated", "pos", identity("member_card", a, "acme", "verified")));
        post(event("b-" + run, "profile.updated", "pos", identity("member_card", b, "other-brand", "verified")));
        String first = awaitCustomer("member_card", a, "acme").path("id").asText();
        String second = awaitCustomer("member_card", b, "other-brand").path("id").asText();

        assertThat(call("POST", "/api/v1/customers/" + first + "/merge", "{\"other\":\"" + second + "\"}").statusCode()).isEqualTo(400);
        JsonNode manual = json(call("POST", "/api/v1/customers/" + first + "/merge",
                "{\"other\":\"" + second + "\",\"reason\":\"same person, two brands\"}"), 200);

        assertThat(manual.path("kind").asText()).isEqualTo("manual");
        assertThat(manual.path("reason").asText()).contains("same person, two brands", "manual merge by");
        assertThat(awaitCustomer("member_card", b, "other-brand").path("id").asText()).isEqualTo(first);
        json(call("POST", "/api/v1/customers/" + first + "/merges/" + manual.path("id").asText() + "/undo", null), 200);
        assertThat(awaitCustomer("member_card", b, "other-brand").path("id").asText()).isEqualTo(second);

        // an event that carries both cards would join them; the undone merge keeps them apart
        post(event("both-" + run, "profile.updated", "pos", identity("member_card", a, "acme", "verified"),
                identity("member_card", b, "other-brand", "verified")));
        await().atMost(Duration.ofSeconds(60)).until(() -> (awaitCustomer("member_card", a, "acme").path("timeline").toString()
                + awaitCustomer("member_card", b, "other-brand").path("timeline")).contains("both-" + run));
        assertThat(awaitCustomer("member_card", a, "acme").path("id").asText()).isEqualTo(first);
        assertThat(awaitCustomer("member_card", b, "other-brand").path("id").asText()).isEqualTo(second);
        assertThat(awaitCustomer("member_card", a, "acme").path("timeline").toString()
                + awaitCustomer("member_card", b, "other-brand").path("timeline")).contains("merge blocked: the profiles were unmerged");
    }

    @Test
    void aLookupWithoutNamespaceFindsTheOnlyOneAndNamesTheNamespacesWhenSeveralHaveTheValue() {
        String openid = "o" + run + "-ns";
        post(event("ns1-" + run, "customer.followed", "wechat", identity("wechat_openid", openid, "wxapp-one", "verified")));
        awaitCustomer("wechat_openid", openid, "wxapp-one");

        HttpResponse<String> one = call("GET", "/api/v1/customers?identity=" + URLEncoder.encode("wechat_openid:" + openid, StandardCharsets.UTF_8), null);
        assertThat(one.statusCode()).isEqualTo(200);

        post(event("ns2-" + run, "customer.followed", "wechat", identity("wechat_openid", openid, "wxapp-two", "verified")));
        awaitCustomer("wechat_openid", openid, "wxapp-two");
        HttpResponse<String> several = call("GET", "/api/v1/customers?identity=" + URLEncoder.encode("wechat_openid:" + openid, StandardCharsets.UTF_8), null);
        assertThat(several.statusCode()).isEqualTo(409);
        assertThat(several.body()).contains("wxapp-one", "wxapp-two", "namespaces");
    }

    @Test
    void aStorePhoneTypedForWalkInsIsListedAsSharedWithItsEvidenceAndOnlyAnOperatorDecidesOnIt() {
        String phone = "+86137" + (10_000_000 + Math.abs(run.hashCode() % 89_999_999));
        String shared = "/api/v1/identifiers/shared";
        for (int i = 0; i < 4; i++) {
            post(walkIn("walk-in-" + i + "-" + run, "S-" + run, identity("phone", phone, null, "noted")));
        }

        JsonNode detected = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> entry(json(call("GET", shared + "?status=detected", null), 200), phone), found -> found != null);
        assertThat(detected.path("type").asText()).isEqualTo("phone");
        assertThat(detected.path("reason").asText()).isEqualTo("the only identifier of 4 walk-in orders at /connectors/pos/api#S-" + run);
        assertThat(detected.path("evidence").path("peers").asInt()).isEqualTo(4);
        assertThat(detected.path("evidence").has("separatedEvents")).isTrue();
        assertThat(call("GET", shared + "?status=maybe", null).statusCode()).isEqualTo(400);

        String decision = "{\"type\":\"phone\",\"value\":\"" + phone + "\",\"note\":\"the store manager's mobile\"}";
        assertThat(post(shared + "/confirm", VIEWER, VIEWER_PASSWORD).status()).isEqualTo(403);
        assertThat(call("POST", shared + "/confirm", "{\"type\":\"phone\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", shared + "/confirm", "{\"type\":\"phone\",\"value\":\"+8613700000000\"}").statusCode()).isEqualTo(404);
        JsonNode confirmed = json(call("POST", shared + "/confirm", decision), 200);
        assertThat(confirmed.path("status").asText()).isEqualTo("confirmed");
        assertThat(confirmed.path("decidedBy").asText()).isEqualTo(admin.username());
        assertThat(entry(json(call("GET", shared + "?status=confirmed", null), 200), phone)).isNotNull();
        assertThat(entry(json(call("GET", shared + "?status=detected", null), 200), phone)).isNull();

        JsonNode listed = entry(json(call("GET", shared + "?status=confirmed", null), 200), phone);
        assertThat(listed.toString()).as("listed masked").doesNotContain(phone.substring(3));
        String byRef = "{\"ref\":\"" + listed.path("ref").asText() + "\",\"note\":\"a customer's own phone after all\"}";
        assertThat(call("POST", shared + "/overrule", "{\"ref\":\"sealed:v1:forged\"}").statusCode()).isEqualTo(400);
        assertThat(json(call("POST", shared + "/overrule", byRef), 200).path("status").asText()).isEqualTo("overruled");
    }

    // ------------------------------------------------------------------------------------------

    private JsonNode awaitCustomer(String type, String value, String namespace) {
        String path = "/api/v1/customers?identity=" + URLEncoder.encode(type + ":" + value, StandardCharsets.UTF_8)
                + "&namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8);
        HttpResponse<String>[] last = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = call("GET", path, null);
            return last[0].statusCode() == 200;
        });
        return json(last[0], 200);
    }

    private static String identity(String type, String value, String namespace, String evidence) {
        return "{\"type\":\"" + type + "\",\"value\":\"" + value + "\"" + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"")
                + ",\"evidence\":\"" + evidence + "\"}";
    }

    private JsonNode entry(JsonNode shared, String value) {
        for (JsonNode item : shared) {
            // Listed masked: the store in the reason tells this run's phone from another with the same ends.
            if (item.path("value").asText().equals(MaskedValue.of(value)) && item.path("reason").asText().contains(run)) {
                return item;
            }
        }
        return null;
    }

    private static String walkIn(String id, String store, String identity) {
        String now = Instant.now().toString();
        return """
                {"specversion":"1.0","id":"%s","source":"/connectors/pos/api","type":"store.purchased","time":"%s",
                 "datacontenttype":"application/json","data":{"receivedAt":"%s","identities":[%s],"extra":{"storeId":"%s"},
                 "order":{"id":"W-%s","currency":"CNY","totalMinor":1000}}}
                """.formatted(id, now, now, identity, store, id);
    }

    private static String event(String id, String type, String connector, String... identities) {
        String now = Instant.now().toString();
        return """
                {"specversion":"1.0","id":"%s","source":"/connectors/%s/api","type":"%s","time":"%s","datacontenttype":"application/json",
                 "data":{"receivedAt":"%s","identities":[%s]}}
                """.formatted(id, connector, type, now, now, String.join(",", identities));
    }

    private void post(String event) {
        HttpResponse<String> r = call("POST", "/api/v1/events", event);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((admin.username() + ":" + admin.password()).getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            b.header("Content-Type", path.equals("/api/v1/events") ? "application/cloudevents+json" : "application/json");
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
