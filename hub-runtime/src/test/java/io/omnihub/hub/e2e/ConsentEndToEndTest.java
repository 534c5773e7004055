package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.hub.RunningHub;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Consent by purpose and channel over the API, on the running hub: events in through
 * {@code POST /api/v1/events}, the current statement per purpose and channel on the customer with
 * its source, the history paged newest first, and a customer linked across WeChat, the store and
 * Tmall who withdraws cross-channel linking on WeChat ending up with one profile per platform.
 */
class ConsentEndToEndTest extends RunningHub {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String openid = "o" + run + "-consent";
    private final String card = "VIP-" + run;
    private final String buyer = "t-" + run;
    private final String phone = "+86139" + (10_000_000 + Math.abs(run.hashCode() % 89_999_999));
    private Instant clock = Instant.now().minusSeconds(3600);

    @Test
    void theCustomerShowsTheCurrentConsentPerPurposeAndChannelAndItsHistoryNewestFirst() {
        post(event("c1-" + run, "consent.changed", "wechat", "\"consent\":{\"marketing\":true,\"analytics\":true}",
                identity("wechat_openid", openid, "wxapp", "verified")));
        post(event("c2-" + run, "consent.changed", "wechat", "\"consent\":{\"marketingChannels\":{\"wechat\":false}}",
                identity("wechat_openid", openid, "wxapp", "verified")));
        post(event("c3-" + run, "consent.changed", "wechat", "\"consent\":{\"marketingChannels\":{\"sms\":true}}",
                identity("wechat_openid", openid, "wxapp", "verified")));
        JsonNode customer = awaitCustomer("wechat_openid", openid, "wxapp", c -> c.path("timeline").size() == 3);
        String id = customer.path("id").asText();

        JsonNode consent = customer.path("consent");
        assertThat(consent.path("marketing").asBoolean()).isTrue();
        assertThat(consent.path("analytics").asBoolean()).isTrue();
        assertThat(consent.path("crossChannelLinking").isNull()).isTrue();
        JsonNode wechat = statement(consent.path("statements"), "marketing.wechat");
        assertThat(wechat.path("purpose").asText()).isEqualTo("marketing");
        assertThat(wechat.path("channel").asText()).isEqualTo("wechat");
        assertThat(wechat.path("value").asBoolean()).isFalse();
        assertThat(wechat.path("eventId").asText()).isEqualTo("c2-" + run);
        assertThat(wechat.path("eventType").asText()).isEqualTo("consent.changed");
        assertThat(wechat.path("source").asText()).isEqualTo("/connectors/wechat/api");
        assertThat(wechat.path("at").asText()).isNotEmpty();

        JsonNode first = json(get("/api/v1/customers/" + id + "/consents?limit=2"), 200);
        assertThat(first.path("customerId").asText()).isEqualTo(id);
        assertThat(keys(first.path("statements"))).containsExactly("marketing.sms", "marketing.wechat");
        assertThat(first.path("nextOffset").asInt()).isEqualTo(2);
        JsonNode rest = json(get("/api/v1/customers/" + id + "/consents?offset=2&limit=2"), 200);
        assertThat(keys(rest.path("statements"))).containsExactlyInAnyOrder("marketing", "analytics");
        assertThat(rest.path("nextOffset").isNull()).isTrue();
        assertThat(get("/api/v1/customers/" + id + "/consents?limit=0").status()).isEqualTo(400);
        assertThat(get("/api/v1/customers/" + UUID.randomUUID() + "/consents").status()).isEqualTo(404);
    }

    @Test
    void aCustomerLinkedAcrossWeChatTheStoreAndTmallWhoWithdrawsLinkingOnWeChatHasOneProfilePerPlatform() {
        post(event("w1-" + run, "message.received", "wechat", null, identity("wechat_openid", openid, "wxapp", "verified"),
                identity("phone", phone, null, "verified")));
        awaitCustomer("wechat_openid", openid, "wxapp", c -> true);
        post(event("p1-" + run, "store.purchased", "pos", "\"order\":{\"id\":\"R-" + run + "\",\"currency\":\"CNY\",\"totalMinor\":9900}",
                identity("member_card", card, "acme", "verified"), identity("phone", phone, null, "verified")));
        post(event("t1-" + run, "order.paid", "tmall", "\"order\":{\"id\":\"T-" + run + "\",\"currency\":\"CNY\",\"totalMinor\":19900}",
                identity("tmall_ouid", buyer, "seller", "verified"), identity("phone", phone, null, "verified")));
        String linked = awaitCustomer("wechat_openid", openid, "wxapp", c -> c.path("timeline").size() == 3).path("id").asText();
        assertThat(platformIds()).containsOnly(linked);

        post(event("w9-" + run, "consent.changed", "wechat", "\"consent\":{\"crossChannelLinking\":false}",
                identity("wechat_openid", openid, "wxapp", "verified")));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> new HashSet<>(platformIds()).size() == 3);

        List<String> split = platformIds();
        assertThat(split.get(0)).isEqualTo(linked);
        JsonNode pos = awaitCustomer("member_card", card, "acme", c -> true);
        JsonNode tmall = awaitCustomer("tmall_ouid", buyer, "seller", c -> true);
        assertThat(pos.path("orders").path("count").asInt()).isEqualTo(1);
        assertThat(tmall.path("orders").path("totalMinorByCurrency").path("CNY").asLong()).isEqualTo(19900);
        for (JsonNode c : List.of(pos, tmall, awaitCustomer("wechat_openid", openid, "wxapp", x -> true))) {
            assertThat(c.path("consent").path("crossChannelLinking").asBoolean(true)).isFalse();
        }
        JsonNode merges = json(get("/api/v1/customers/" + linked + "/merges"), 200);
        assertThat(merges).hasSize(2);
        for (JsonNode m : merges) {
            assertThat(m.path("kind").asText()).isEqualTo("split");
            assertThat(m.path("reason").asText()).startsWith("consent withdrawn");
            assertThat(m.path("evidenceEventId").asText()).isEqualTo("w9-" + run);
        }

        // a new event on each platform, each with the phone: nothing joins them again
        post(event("w10-" + run, "message.received", "wechat", null, identity("wechat_openid", openid, "wxapp", "verified"),
                identity("phone", phone, null, "verified")));
        post(event("p10-" + run, "store.purchased", "pos", "\"order\":{\"id\":\"R2-" + run + "\",\"currency\":\"CNY\",\"totalMinor\":100}",
                identity("member_card", card, "acme", "verified"), identity("phone", phone, null, "verified")));
        post(event("t10-" + run, "order.paid", "tmall", "\"order\":{\"id\":\"T2-" + run + "\",\"currency\":\"CNY\",\"totalMinor\":100}",
                identity("tmall_ouid", buyer, "seller", "verified"), identity("phone", phone, null, "verified")));
        awaitCustomer("tmall_ouid", buyer, "seller", c -> c.path("timeline").toString().contains("t10-" + run));
        awaitCustomer("member_card", card, "acme", c -> c.path("timeline").toString().contains("p10-" + run));
        awaitCustomer("wechat_openid", openid, "wxapp", c -> c.path("timeline").toString().contains("w10-" + run));
        assertThat(platformIds()).isEqualTo(split);
    }

    /** The profile ids a lookup by the WeChat, store and Tmall identifier answers, in that order. */
    private List<String> platformIds() {
        List<String> out = new ArrayList<>();
        out.add(awaitCustomer("wechat_openid", openid, "wxapp", c -> true).path("id").asText());
        out.add(awaitCustomer("member_card", card, "acme", c -> true).path("id").asText());
        out.add(awaitCustomer("tmall_ouid", buyer, "seller", c -> true).path("id").asText());
        return out;
    }

    private static JsonNode statement(JsonNode statements, String key) {
        for (JsonNode s : statements) {
            if (s.path("key").asText().equals(key)) {
                return s;
            }
        }
        throw new AssertionError("no statement " + key + " in " + statements);
    }

    private static List<String> keys(JsonNode statements) {
        List<String> out = new ArrayList<>();
        statements.forEach(s -> out.add(s.path("key").asText()));
        return out;
    }

    private JsonNode awaitCustomer(String type, String value, String namespace, java.util.function.Predicate<JsonNode> ready) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = hub().customerByIdentity(type, value, namespace).orElse(null);
            return last[0] != null && ready.test(last[0]);
        });
        return last[0];
    }

    private static String identity(String type, String value, String namespace, String evidence) {
        return "{\"type\":\"" + type + "\",\"value\":\"" + value + "\"" + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"")
                + ",\"evidence\":\"" + evidence + "\"}";
    }

    /** An event a minute after the previous one, so the statements have an order. */
    private String event(String id, String type, String connector, String more, String... identities) {
        clock = clock.plusSeconds(60);
        return """
                {"specversion":"1.0","id":"%s","source":"/connectors/%s/api","type":"%s","time":"%s","datacontenttype":"application/json",
                 "data":{"receivedAt":"%s","identities":[%s]%s}}
                """.formatted(id, connector, type, clock, clock, String.join(",", identities), more == null ? "" : "," + more);
    }

    private void post(String event) {
        ApiCalls.Reply r = api().call("POST", "/api/v1/events", event, admin.username(), admin.password());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    private ApiCalls.Reply get(String path) {
        return api().call("GET", path, null, admin.username(), admin.password());
    }

    private JsonNode json(ApiCalls.Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        return reply.json();
    }

    private HubApi hub() {
        return new HubApi("http://localhost:" + port, admin.username(), admin.password());
    }

    private ApiCalls api() {
        return new ApiCalls("http://localhost:" + port);
    }
}
