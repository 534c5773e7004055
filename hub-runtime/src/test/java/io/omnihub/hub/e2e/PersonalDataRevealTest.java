package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.hub.RunningHub;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Personal data masked by default for every role, revealed per customer with a reason by those
 * holding the permission, and every reveal and access export in the privacy audit: a customer who
 * came in over the real WeChat webhook and {@code POST /api/v1/events}, read as a viewer, an
 * operator, an operator granted the reveal permission by name, and the admin.
 */
class PersonalDataRevealTest extends RunningHub {

    private static final String APP_ID = "wx0123456789abcdef";

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String openid = ("oReveal" + run + "00000000000000000000").substring(0, 28);
    private final String national = "139" + (10_000_000 + Math.abs(run.hashCode() % 89_999_999));
    private final String phone = "+86" + national;
    private final String name = "Han Meimei " + run;
    private final String street = "88 Nanjing West Road " + run;
    private ApiCalls api;
    private String customerId;

    @BeforeEach
    void aCustomerCameInOverTheWebhookAndTheEventsApi() {
        api = new ApiCalls("http://localhost:" + port);
        WeChatWebhookClient wechat = new WeChatWebhookClient("http://localhost:" + port, BRAND_OA_TOKEN, null, APP_ID);
        assertThat(wechat.postPlain("brand-oa", openid, WeChatWebhookClient.text(openid, Instant.now().getEpochSecond(),
                "please call me on " + national + ", " + name + ", " + street, 6_300_000_000_000_000_000L + Math.abs(run.hashCode()))).statusCode()).isEqualTo(200);
        String now = Instant.now().toString();
        String event = """
                {"specversion":"1.0","id":"order-%s","source":"/connectors/pos/api","type":"order.paid","time":"%s",
                 "datacontenttype":"application/json","data":{"receivedAt":"%s",
                 "identities":[{"type":"wechat_openid","value":"%s","namespace":"%s","evidence":"verified"},
                               {"type":"phone","value":"%s","evidence":"verified"}],
                 "attributes":{"name":"%s","address":"%s","gender":"female"},
                 "order":{"id":"SO-%s","currency":"CNY","totalMinor":25900},
                 "extra":{"receiverName":"%s","receiverPhone":"%s","storeId":"store-42"}}}
                """.formatted(run, now, now, openid, APP_ID, phone, name, street, run, name, national);
        ApiCalls.Reply posted = api.call("POST", "/api/v1/events", event, admin.username(), admin.password());
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        JsonNode customer = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> lookup(VIEWER, VIEWER_PASSWORD), reply -> reply.status() == 200
                        && reply.body().contains("order-" + run) && reply.json().path("timeline").size() >= 2)
                .json();
        customerId = customer.path("id").asText();
    }

    @Test
    void aViewerSeesPhonesChannelIdsNamesAndAddressesMaskedAndTheRestAsItIs() {
        ApiCalls.Reply reply = lookup(VIEWER, VIEWER_PASSWORD);

        assertThat(reply.body()).doesNotContain(national, openid, name, street);
        JsonNode customer = reply.json();
        assertThat(values(customer.path("identities"))).containsExactlyInAnyOrder("+86" + "*".repeat(9) + national.substring(9),
                "oRe" + "*".repeat(23) + openid.substring(26));
        assertThat(customer.path("attributes").path("gender").asText()).isEqualTo("female");
        assertThat(customer.path("attributes").path("name").asText()).isEqualTo("H***");
        assertThat(customer.path("attributes").path("address").asText()).isEqualTo("8***");
        assertThat(reply.body()).contains("SO-" + run, "store-42", "order-" + run);
        assertThat(reply.body()).as("the admin sees it masked too")
                .isEqualTo(lookup(admin.username(), admin.password()).body());
    }

    @Test
    void aRevealWithoutThePermissionIs403AndWithItIsUnmaskedAndInTheAudit() {
        String reveal = "/api/v1/customers/" + customerId + "/reveal";
        String why = ApiCalls.json(Map.of("reason", "ticket " + run + ": customer asked to correct the address"));

        assertThat(api.call("POST", reveal, why, VIEWER, VIEWER_PASSWORD).status()).isEqualTo(403);
        ApiCalls.Reply operator = api.call("POST", reveal, why, OPERATOR, OPERATOR_PASSWORD);
        assertThat(operator.status()).isEqualTo(403);
        assertThat(operator.body()).doesNotContain(national, openid);
        assertThat(api.call("POST", reveal, "{}", REVEALER, REVEALER_PASSWORD).status()).as("no reason").isEqualTo(400);
        assertThat(api.call("POST", reveal, "{\"reason\":\"  \"}", REVEALER, REVEALER_PASSWORD).status()).as("a blank reason").isEqualTo(400);

        ApiCalls.Reply revealed = api.call("POST", reveal, why, REVEALER, REVEALER_PASSWORD);

        assertThat(revealed.status()).as(revealed.body()).isEqualTo(200);
        assertThat(values(revealed.json().path("identities"))).containsExactlyInAnyOrder(phone, openid);
        assertThat(revealed.json().path("attributes").path("address").asText()).isEqualTo(street);
        assertThat(revealed.body()).contains("please call me on " + national + ", " + name + ", " + street);

        JsonNode audit = api.call("GET", "/api/v1/privacy/audit?customer=" + customerId, null, admin.username(), admin.password()).json();
        assertThat(audit.path("total").asLong()).as("refused reveals reveal nothing and are not audited").isEqualTo(1);
        JsonNode entry = audit.path("items").get(0);
        assertThat(entry.path("actor").asText()).isEqualTo(REVEALER);
        assertThat(entry.path("action").asText()).isEqualTo("reveal");
        assertThat(entry.path("reason").asText()).isEqualTo("ticket " + run + ": customer asked to correct the address");
        assertThat(entry.path("clientAddress").asText()).isNotBlank();
        assertThat(Instant.parse(entry.path("at").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(audit.toString()).doesNotContain(national, openid, name);
        assertThat(api.call("GET", "/api/v1/privacy/audit", null, REVEALER, REVEALER_PASSWORD).status()).as("the audit is the admin's")
                .isEqualTo(403);
    }

    @Test
    void theAdminRevealsByDefaultAndTheAuditIsFilteredByActorAndTime() {
        String reveal = "/api/v1/customers/" + customerId + "/reveal";
        Instant before = Instant.now().minusSeconds(1);
        assertThat(api.call("POST", reveal, ApiCalls.json(Map.of("reason", "complaint " + run)), admin.username(), admin.password())
                .status()).isEqualTo(200);

        String byAdmin = "/api/v1/privacy/audit?customer=" + customerId + "&actor=" + admin.username() + "&from="
                + URLEncoder.encode(before.toString(), StandardCharsets.UTF_8);
        assertThat(api.call("GET", byAdmin, null, admin.username(), admin.password()).json().path("items"))
                .extracting(e -> e.path("reason").asText()).containsExactly("complaint " + run);
        String someoneElse = "/api/v1/privacy/audit?customer=" + customerId + "&actor=" + REVEALER;
        assertThat(api.call("GET", someoneElse, null, admin.username(), admin.password()).json().path("total").asLong()).isZero();
        String earlier = "/api/v1/privacy/audit?customer=" + customerId + "&to=" + URLEncoder.encode(before.toString(), StandardCharsets.UTF_8);
        assertThat(api.call("GET", earlier, null, admin.username(), admin.password()).json().path("total").asLong()).isZero();
        assertThat(api.call("GET", "/api/v1/privacy/audit?from=yesterday", null, admin.username(), admin.password()).status())
                .isEqualTo(400);
    }

    @Test
    void theSessionSaysWhoMayRevealAndAnApiTokenCanCarryThePermission() {
        assertThat(api.call("GET", "/api/v1/session", null, REVEALER, REVEALER_PASSWORD).json().path("permissions").toString())
                .contains("reveal");
        assertThat(api.call("GET", "/api/v1/session", null, OPERATOR, OPERATOR_PASSWORD).json().path("permissions").size()).isZero();
        assertThat(api.call("POST", "/api/v1/tokens", "{\"name\":\"viewer-" + run + "\",\"role\":\"viewer\",\"reveal\":true}",
                admin.username(), admin.password()).status()).as("a viewer token cannot reveal").isEqualTo(400);
        String granted = api.call("POST", "/api/v1/tokens", "{\"name\":\"desk-" + run + "\",\"role\":\"operator\",\"reveal\":true}",
                admin.username(), admin.password()).json().path("token").asText();
        String plain = api.call("POST", "/api/v1/tokens", "{\"name\":\"ops-" + run + "\",\"role\":\"operator\"}",
                admin.username(), admin.password()).json().path("token").asText();
        String why = ApiCalls.json(Map.of("reason", "customer service desk " + run));

        assertThat(api.callWithToken("POST", "/api/v1/customers/" + customerId + "/reveal", why, plain).status()).isEqualTo(403);
        ApiCalls.Reply revealed = api.callWithToken("POST", "/api/v1/customers/" + customerId + "/reveal", why, granted);
        assertThat(revealed.status()).isEqualTo(200);
        assertThat(values(revealed.json().path("identities"))).contains(phone);
        assertThat(api.call("GET", "/api/v1/privacy/audit?customer=" + customerId + "&actor=token:desk-" + run, null, admin.username(),
                admin.password()).json().path("total").asLong()).isEqualTo(1);
    }

    @Test
    void theAccessExportListsIdentitiesTimelineAndOrdersUnmaskedForTheAdminAndIsAudited() {
        String export = "/api/v1/customers/" + customerId + "/export?reason=" + URLEncoder.encode("access request " + run, StandardCharsets.UTF_8);
        assertThat(api.call("GET", export, null, REVEALER, REVEALER_PASSWORD).status()).as("the export is the admin's").isEqualTo(403);

        ApiCalls.Reply reply = api.call("GET", export, null, admin.username(), admin.password());

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode sections = reply.json().path("sections");
        List<String> identities = new ArrayList<>();
        sections.path("identities").forEach(i -> identities.add(i.path("type").asText() + ":" + i.path("value").asText()));
        assertThat(identities).containsExactlyInAnyOrder("phone:" + phone, "wechat_openid:" + openid);
        assertThat(sections.path("identities").get(0).path("evidence").asText()).isEqualTo("verified");
        List<String> timeline = new ArrayList<>();
        sections.path("timeline").forEach(t -> timeline.add(t.path("type").asText()));
        assertThat(timeline).contains("message.received", "order.paid");
        assertThat(sections.path("orders").get(0).path("orderId").asText()).isEqualTo("SO-" + run);
        assertThat(reply.body()).contains(name, street, "please call me on " + national);
        JsonNode audit = api.call("GET", "/api/v1/privacy/audit?customer=" + customerId + "&action=export", null, admin.username(),
                admin.password()).json();
        assertThat(audit.path("items")).singleElement().satisfies(e -> {
            assertThat(e.path("actor").asText()).isEqualTo(admin.username());
            assertThat(e.path("reason").asText()).isEqualTo("access request " + run);
        });
    }

    private ApiCalls.Reply lookup(String user, String password) {
        return api.call("GET", "/api/v1/customers?identity=" + URLEncoder.encode("phone:" + phone, StandardCharsets.UTF_8), null, user,
                password);
    }

    private static List<String> values(JsonNode identities) {
        List<String> out = new ArrayList<>();
        identities.forEach(i -> out.add(i.path("value").asText()));
        return out;
    }
}
