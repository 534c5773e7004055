package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.omnihub.routes.Queues;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The walking skeleton end to end on real parts: real HTTP into the hub, the WeChat plugin JAR loaded
 * by PF4J from a plugins folder, embedded Artemis and PostgreSQL, WireMock as the WeChat and WeCom
 * APIs, and WxJava signing and encrypting as WeChat's servers do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WeChatEndToEndTest {

    static final String TOKEN = "pamtest";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String APP_ID = "wxb11529c136998cb6";
    static final String CORP_ID = "ww4a5b6c7d8e9f0a1b";
    /** An account in plaintext mode (no AES key): its signature does not cover the body. */
    static final String PLAIN_APP_ID = "wx5c0ffee5c0ffee01";
    static final String OPENID = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M";
    static final String UNIONID = "o6_bmasdasdsad6_2sgVt7hMZOPfL";
    static final String EXTERNAL_USERID = "woAJ2GCAAAXtWyujaWJHDDGi0mACH71w";
    static final String PHONE = "13912345678";
    static final String ADMIN_PASSWORD = "e2e-admin-password";
    /** An openid configured as blocked: no profile may be built on it. */
    static final String BLOCKED_OPENID = "oBlockedByOperator_0123456789";

    static final WireMockServer WECHAT_API = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final Path DATA_DIR;
    static final Path PLUGINS_DIR;

    static {
        WECHAT_API.start();
        WeChatApiStubs.officialAccount(WECHAT_API, APP_ID, OPENID, UNIONID);
        WeChatApiStubs.officialAccount(WECHAT_API, PLAIN_APP_ID, OPENID, UNIONID);
        WeChatApiStubs.weCom(WECHAT_API, CORP_ID, EXTERNAL_USERID, UNIONID, PHONE);
        try {
            DATA_DIR = Files.createTempDirectory("omnihub-e2e-data");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PLUGINS_DIR = TestPlugins.pluginsFolderWithWeChat();
    }

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.plugins.dir", PLUGINS_DIR::toString);
        registry.add("hub.security.admin-password", () -> ADMIN_PASSWORD);
        // A circuit opened by the "WeChat is down" test closes again soon after WeChat is back.
        registry.add("hub.resilience.circuit-breaker.wait-in-open-state", () -> "1s");
        registry.add("hub.identity.blocked-values.wechat_openid", () -> BLOCKED_OPENID);
        WeChatInstances.register(registry, "brand-oa", "mp", APP_ID, "oa-app-secret", TOKEN, AES_KEY, WECHAT_API.baseUrl());
        WeChatInstances.register(registry, "plain-oa", "mp", PLAIN_APP_ID, "plain-app-secret", TOKEN, null, WECHAT_API.baseUrl());
        WeChatInstances.register(registry, "brand-corp", "wecom", CORP_ID, "corp-app-secret", TOKEN, AES_KEY, WECHAT_API.baseUrl());
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedActiveMQ broker;

    WeChatWebhookClient officialAccount;
    WeChatWebhookClient weCom;
    HubApi api;
    PipelineProbe pipeline;

    @BeforeEach
    void clients() {
        String base = "http://localhost:" + port;
        officialAccount = new WeChatWebhookClient(base, TOKEN, AES_KEY, APP_ID);
        weCom = new WeChatWebhookClient(base, TOKEN, AES_KEY, CORP_ID);
        api = new HubApi(base, "admin", ADMIN_PASSWORD);
        pipeline = new PipelineProbe(broker);
        await().atMost(Duration.ofSeconds(60)).until(() -> runningInstances().containsAll(
                List.of("brand-oa", "plain-oa", "brand-corp")));
    }

    @AfterAll
    static void stopWireMock() {
        WECHAT_API.stop();
    }

    @Test
    @Order(1)
    void serverUrlVerificationEchoesTheEchostr() {
        HttpResponse<String> response = officialAccount.verifyUrl("brand-oa", "4587312095831");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("4587312095831");
    }

    @Test
    @Order(2)
    void safeModeSubscribeAndTextBecomeOneCustomerWithUnionidAndTwoTimelineEntries() {
        long now = System.currentTimeMillis() / 1000;
        HttpResponse<String> subscribed = officialAccount.postSafeMode("brand-oa", OPENID, WeChatWebhookClient.subscribe(OPENID, now));
        HttpResponse<String> texted = officialAccount.postSafeMode("brand-oa", OPENID,
                WeChatWebhookClient.text(OPENID, now + 5, "你好，我想了解会员卡", 6200000000000000001L));

        assertThat(subscribed.statusCode()).isEqualTo(200);
        assertThat(subscribed.body()).isEqualTo("success");
        assertThat(texted.statusCode()).isEqualTo(200);
        JsonNode customer = awaitCustomer(c -> HubApi.hasIdentity(c, "wechat_unionid", UNIONID) && c.path("timeline").size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(pipeline::drained);

        customer = api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElseThrow();
        assertThat(customer.path("timeline")).hasSize(2);
        assertThat(customer.path("timeline").toString()).contains("customer.followed", "message.received");
        assertThat(HubApi.hasIdentity(customer, "wechat_openid", OPENID)).isTrue();
        assertThat(HubApi.hasIdentity(customer, "wechat_unionid", UNIONID)).isTrue();
        assertThat(api.customerByIdentity("wechat_openid", OPENID, "wx-some-other-app")).isEmpty();
    }

    @Test
    @Order(3)
    void redeliveredMessageChangesNothing() {
        JsonNode before = api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElseThrow();
        long now = System.currentTimeMillis() / 1000;

        HttpResponse<String> again = officialAccount.postSafeMode("brand-oa", OPENID,
                WeChatWebhookClient.text(OPENID, now + 5, "你好，我想了解会员卡", 6200000000000000001L));

        assertThat(again.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(pipeline::drained);
        JsonNode after = api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElseThrow();
        assertThat(after.path("id")).isEqualTo(before.path("id"));
        assertThat(after.path("timeline")).isEqualTo(before.path("timeline"));
        assertThat(after.path("identities").size()).isEqualTo(before.path("identities").size());
    }

    @Test
    @Order(4)
    void anEventPostedToTheApiForAFollowerTheEnricherKnowsGoesStraightToTheCore() {
        // Order(2) had brand-oa's enricher look up OPENID's unionid; the enricher remembers it.
        await().atMost(Duration.ofSeconds(30)).until(pipeline::drained);
        long enrichBefore = pipeline.added(Queues.ENRICH);
        long eventsBefore = pipeline.added(Queues.EVENTS);
        int timelineBefore = api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElseThrow().path("timeline").size();
        ObjectNode update = AutomationApi.openid(AutomationApi.event("shop:known-follower-1", "profile.updated",
                "/connectors/wechat/brand-oa", Instant.now()), OPENID, APP_ID);
        AutomationApi.data(update).putObject("attributes").put("homeStore", "SH-001");

        HttpResponse<String> answer = new AutomationApi("http://localhost:" + port, "admin", ADMIN_PASSWORD).postEvents(update);

        assertThat(answer.statusCode()).isEqualTo(202);
        awaitCustomer(c -> c.path("timeline").size() == timelineBefore + 1);
        await().atMost(Duration.ofSeconds(30)).until(pipeline::drained);
        // The event and its unionid link from the enricher's memory, both made durable with the post.
        assertThat(pipeline.added(Queues.EVENTS)).isEqualTo(eventsBefore + 2);
        assertThat(pipeline.added(Queues.ENRICH)).isEqualTo(enrichBefore);
    }

    @Test
    @Order(5)
    void weComContactWithTheSameUnionidAndAPhoneLandsOnTheSameCustomer() {
        String customerId = api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElseThrow().path("id").asText();

        HttpResponse<String> response = weCom.postWeCom("brand-corp",
                WeChatWebhookClient.addExternalContact(CORP_ID, EXTERNAL_USERID, System.currentTimeMillis() / 1000));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode byPhone = await().atMost(Duration.ofSeconds(60)).until(
                () -> api.customerByIdentity("phone", "+86" + PHONE, null).orElse(null), c -> c != null);
        assertThat(byPhone.path("id").asText()).isEqualTo(customerId);
        assertThat(HubApi.hasIdentity(byPhone, "wecom_external_userid", EXTERNAL_USERID)).isTrue();
        assertThat(HubApi.hasIdentity(byPhone, "wechat_openid", OPENID)).isTrue();
    }

    @Test
    @Order(6)
    void forgedSignatureIsRefusedAndNothingQueued() {
        long rawBefore = pipeline.added(Queues.RAW);
        long dlqBefore = pipeline.added(Queues.DLQ);

        HttpResponse<String> response = officialAccount.postForged("brand-oa", OPENID,
                WeChatWebhookClient.text(OPENID, System.currentTimeMillis() / 1000, "forged", 6200000000000000099L));

        assertThat(response.statusCode()).isIn(401, 403);
        assertThat(pipeline.added(Queues.RAW)).isEqualTo(rawBefore);
        assertThat(pipeline.added(Queues.DLQ)).isEqualTo(dlqBefore);
    }

    @Test
    @Order(6)
    void aCapturedPlaintextSignatureReplayedWithAnotherBodyIsRefusedAndNothingQueued() {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "captured" + System.nanoTime();
        String genuine = "<xml><ToUserName><![CDATA[gh_plain]]></ToUserName><FromUserName><![CDATA[" + OPENID + "]]></FromUserName>"
                + "<CreateTime>" + timestamp + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content>"
                + "<MsgId>7000000000000000001</MsgId></xml>";
        long rawBefore = pipeline.added(Queues.RAW);
        assertThat(officialAccount.postPlain("plain-oa", OPENID, genuine, timestamp, nonce).statusCode()).isEqualTo(200);

        HttpResponse<String> forged = officialAccount.postPlain("plain-oa", OPENID, genuine.replace("hi", "a forged order"), timestamp, nonce);
        HttpResponse<String> resent = officialAccount.postPlain("plain-oa", OPENID, genuine, timestamp, nonce);

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(resent.statusCode()).as("WeChat resending the same push").isEqualTo(200);
        // the broker counts a routed message a moment after the durable send returned: wait for the
        // genuine push and its resend, then make sure the forged one never joins them
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.added(Queues.RAW) >= rawBefore + 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> pipeline.added(Queues.RAW) == rawBefore + 2);
    }

    @Test
    @Order(7)
    void malformedBodyIsAnswered400AndKeptInTheDeadLetterQueue() {
        long dlqBefore = pipeline.depth(Queues.DLQ);

        HttpResponse<String> response = officialAccount.postPlain("plain-oa", OPENID, "<xml><ToUserName>half a message");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(pipeline.depth(Queues.DLQ)).isEqualTo(dlqBefore + 1);
        JsonNode dlq = api.getJson("/api/v1/dlq");
        assertThat(dlq.toString()).contains("ingress", "BadInputException", "plain-oa");
    }

    @Test
    @Order(8)
    void bodyWithADtdOrExternalEntityIsRefusedKeptAndTheHubKeepsServing() {
        long dlqBefore = pipeline.depth(Queues.DLQ);
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<xml><ToUserName>&xxe;</ToUserName><FromUserName><![CDATA[" + OPENID + "]]></FromUserName>"
                + "<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content>&xxe;</Content><MsgId>6200000000000000042</MsgId></xml>";

        HttpResponse<String> response = officialAccount.postPlain("plain-oa", OPENID, xxe);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("root:");
        assertThat(pipeline.depth(Queues.DLQ)).isEqualTo(dlqBefore + 1);
        HttpResponse<String> next = officialAccount.postPlain("plain-oa", OPENID,
                WeChatWebhookClient.text(OPENID, System.currentTimeMillis() / 1000, "still there?", 6200000000000000043L));
        assertThat(next.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.customerByIdentity("wechat_openid", OPENID, PLAIN_APP_ID)
                .map(c -> c.path("timeline").toString().contains("still there?")).orElse(false));
    }

    @Test
    @Order(9)
    void whileTheWeChatApiIsDownTheEventIsAppliedAndTheUnionidFollowsWhenItIsBack() {
        String openid = "oWeChatDown_0123456789abcdefg";
        String unionid = "oUnionAfterOutage_0123456789";
        WECHAT_API.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).withQueryParam("openid", equalTo(openid))
                .inScenario("wechat-outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"errcode\":-1,\"errmsg\":\"system error\"}")));
        WECHAT_API.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).withQueryParam("openid", equalTo(openid))
                .inScenario("wechat-outage").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"subscribe\":1,\"openid\":\"" + openid + "\",\"unionid\":\"" + unionid + "\"}")));

        HttpResponse<String> response = officialAccount.postSafeMode("brand-oa", openid,
                WeChatWebhookClient.subscribe(openid, System.currentTimeMillis() / 1000));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode withoutUnionid = await().atMost(Duration.ofSeconds(30)).until(
                () -> api.customerByIdentity("wechat_openid", openid, APP_ID).orElse(null), c -> c != null);
        assertThat(withoutUnionid.path("timeline")).hasSize(1);
        assertThat(HubApi.hasIdentity(withoutUnionid, "wechat_unionid", unionid)).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> !WECHAT_API.findAll(
                getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")).withQueryParam("openid", equalTo(openid))).isEmpty());

        WECHAT_API.setScenarioState("wechat-outage", "recovered");

        JsonNode enriched = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(
                () -> api.customerByIdentity("wechat_openid", openid, APP_ID).orElse(null),
                c -> c != null && HubApi.hasIdentity(c, "wechat_unionid", unionid));
        assertThat(enriched.path("id")).isEqualTo(withoutUnionid.path("id"));
        assertThat(enriched.path("timeline")).hasSize(1);
        assertThat(api.getJson("/api/v1/dlq").toString()).doesNotContain("WeChatDown");
    }

    @Test
    @Order(10)
    void aMessageTheNormalizerCannotReadIsAcknowledgedThenParkedWithItsReason() {
        String noSender = "<xml><ToUserName><![CDATA[gh_omnihub_test]]></ToUserName>"
                + "<CreateTime>" + System.currentTimeMillis() / 1000 + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content><![CDATA[who sent this?]]></Content><MsgId>6200000000000000077</MsgId></xml>";

        HttpResponse<String> response = officialAccount.postPlain("plain-oa", OPENID, noSender);

        assertThat(response.statusCode()).isEqualTo(200);
        String parked = await().atMost(Duration.ofSeconds(30)).until(() -> api.getJson("/api/v1/dlq").toString(),
                dlq -> dlq.contains("6200000000000000077") || dlq.contains("FromUserName"));
        assertThat(parked).contains("\"stage\":\"normalize\"", "BadInputException", "has no <FromUserName>");
    }

    @Test
    @Order(11)
    void anEventWhoseOnlyIdentityIsBlockedIsRefusedByTheCoreAndParked() {
        HttpResponse<String> response = officialAccount.postPlain("plain-oa", BLOCKED_OPENID,
                WeChatWebhookClient.text(BLOCKED_OPENID, System.currentTimeMillis() / 1000, "blocked?", 6200000000000000088L));

        assertThat(response.statusCode()).isEqualTo(200);
        String parked = await().atMost(Duration.ofSeconds(30)).until(() -> api.getJson("/api/v1/dlq").toString(),
                dlq -> dlq.contains("EventRejected"));
        assertThat(parked).contains("\"stage\":\"core\"", "every identity is blocked");
        assertThat(api.customerByIdentity("wechat_openid", BLOCKED_OPENID, PLAIN_APP_ID)).isEmpty();
    }

    private List<String> runningInstances() {
        List<String> running = new ArrayList<>();
        for (JsonNode connector : api.getJson("/api/v1/connectors")) {
            for (JsonNode instance : connector.path("instances")) {
                if ("RUNNING".equals(instance.path("state").asText())) {
                    running.add(instance.path("instance").asText());
                }
            }
        }
        return running;
    }

    private JsonNode awaitCustomer(java.util.function.Predicate<JsonNode> condition) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                () -> api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElse(null),
                c -> c != null && condition.test(c));
    }
}
