package io.omnihub.hub.e2e;

import io.omnihub.testsupport.TestClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.hub.HubApplication;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The four shipped automation examples (automation/examples) end to end on real parts: customers
 * arrive over the WeChat webhook (the real plugin JAR, WxJava signing) and POST /api/v1/events,
 * the pipeline applies them through embedded Artemis and PostgreSQL, journeys wait on durable timers
 * driven by a clock the test moves, and the messages reach WireMock standing in for the WeChat API.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AutomationEndToEndTest.MovableTime.class)
class AutomationEndToEndTest {

    static final String TOKEN = "automation-token";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String APP_ID = "wx00000000automat";
    static final String PASSWORD = "automation-admin";
    static final String HOOK_SECRET = "crm-hook-secret-0815";
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final String SHOP = "/connectors/shop/web";

    static final TestClock CLOCK = TestClock.at(Instant.parse("2026-03-02T02:00:00Z"));
    static final WireMockServer CHANNELS = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final Path DATA_DIR;
    static final Path PLUGINS_DIR;
    static final AtomicInteger SEQ = new AtomicInteger();

    static {
        CHANNELS.start();
        stubWeChat(CHANNELS, APP_ID);
        CHANNELS.stubFor(post(urlPathEqualTo("/crm-hook")).willReturn(aResponse().withStatus(204)));
        try {
            DATA_DIR = Files.createTempDirectory("omnihub-automation-e2e");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PLUGINS_DIR = TestPlugins.pluginsFolderWithWeChat();
    }

    /** The WeChat API an Official Account talks to: token, user info (no unionid), template and subscribe messages. */
    static void stubWeChat(WireMockServer server, String appId) {
        server.stubFor(get(urlPathEqualTo("/cgi-bin/token")).withQueryParam("appid", equalTo(appId))
                .willReturn(json("{\"access_token\":\"ACCESS_TOKEN_AUTOMATION\",\"expires_in\":7200}")));
        server.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(json("{\"subscribe\":1,\"openid\":\"any\"}")));
        server.stubFor(post(urlPathEqualTo("/cgi-bin/message/template/send"))
                .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":200228332}")));
        server.stubFor(post(urlPathEqualTo("/cgi-bin/message/subscribe/bizsend")).willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.plugins.dir", PLUGINS_DIR::toString);
        registry.add("hub.security.admin-password", () -> PASSWORD);
        // the definitions a default run loads: the shipped examples
        registry.add("hub.automation.dir", () -> Path.of("..", "automation").toAbsolutePath().normalize().toString());
        registry.add("hub.automation.timer-interval", () -> "200ms");
        registry.add("hub.automation.outbox-interval", () -> "200ms");
        registry.add("hub.automation.scan-interval", () -> "500ms");
        registry.add("hub.automation.sweep.check-interval", () -> "200ms");
        registry.add("hub.automation.webhooks.crm.url", () -> CHANNELS.baseUrl() + "/crm-hook");
        registry.add("hub.automation.webhooks.crm.secret", () -> HOOK_SECRET);
        WeChatInstances.register(registry, "brand-oa", "mp", APP_ID, "automation-app-secret", TOKEN, AES_KEY, CHANNELS.baseUrl());
        // WeChat signs with the real time; the hub's clock is the test's
        registry.add("hub.connectors.wechat.brand-oa.timestamp-tolerance", () -> "0");
    }

    /** Imported by this test only (not annotated, so no scan in another context picks it up). */
    static class MovableTime {
        @Bean
        @Primary
        Clock testClock() {
            return CLOCK;
        }
    }

    @LocalServerPort
    int port;

    AutomationApi api;
    WeChatWebhookClient wechat;

    @BeforeEach
    void clients() {
        String base = "http://localhost:" + port;
        api = new AutomationApi(base, "admin", PASSWORD);
        wechat = new WeChatWebhookClient(base, TOKEN, AES_KEY, APP_ID);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/connectors").toString().contains("\"RUNNING\""));
        // every test starts at 10:00 in Shanghai, outside quiet hours
        ZonedDateTime local = CLOCK.instant().atZone(SHANGHAI);
        ZonedDateTime tenAm = local.with(LocalTime.of(10, 0));
        CLOCK.moveTo((tenAm.isAfter(local) ? tenAm : tenAm.plusDays(1)).toInstant());
    }

    @AfterAll
    static void stopChannels() {
        CHANNELS.stop();
    }

    // ------------------------------------------------------------------------------------------
    // the four shipped examples

    @Test
    void anUnpaidCartGetsACouponOnWeChatAfter24HoursAndItsHomeStoreAFollowUpTask() {
        String openid = follower("oCartBuyer");
        String customer = profile(openid, true, "SH-001");
        String cart = postEvent(cart(openid, 128_800));
        awaitApplied(openid, cart);

        CLOCK.advance(Duration.ofHours(23));
        awaitTimersFired(); // whatever is due by now has fired: the coupon must still wait
        assertThat(templatesTo(openid)).isEmpty();
        CLOCK.advance(Duration.ofHours(1));

        JsonNode coupon = await().atMost(Duration.ofSeconds(30)).until(() -> templatesTo(openid), l -> !l.isEmpty()).get(0);
        assertThat(coupon.path("template_id").asText()).isEqualTo("cart-coupon-template");
        assertThat(coupon.path("url").asText()).isEqualTo("https://shop.example.com/cart");
        assertThat(coupon.path("data").path("keyword1").path("value").asText()).isEqualTo("1288 元");
        assertThat(coupon.path("client_msg_id").asText()).matches("[0-9a-f-]{36}:coupon");
        JsonNode tasks = await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/tasks?store=SH-001&customer=" + customer),
                t -> t.size() == 1);
        assertThat(tasks.get(0).path("assignee").asText()).isEqualTo("store.sh001");
        assertThat(tasks.get(0).path("title").asText()).contains("1288");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/actions?customer=" + customer + "&status=sent").size() == 1);
        JsonNode sent = api.get("/api/v1/actions?customer=" + customer + "&status=sent").get(0);
        assertThat(sent.path("channelReference").asText()).isEqualTo("200228332");
        assertThat(sent.path("recipient").asText()).doesNotContain(openid.substring(3, openid.length() - 2));
    }

    @Test
    void payingWithin24HoursEndsTheCartJourney() {
        String openid = follower("oCartPayer");
        profile(openid, true, null);
        awaitApplied(openid, postEvent(cart(openid, 300_000)));
        CLOCK.advance(Duration.ofHours(3));
        ObjectNode paid = event("order.paid", openid);
        AutomationApi.data(paid).putObject("order").put("id", "SO-" + SEQ.get()).put("status", "PAID").put("currency", "CNY").put("totalMinor", 300_000);
        awaitApplied(openid, postEvent(paid));
        String customer = api.customerByOpenid(openid, APP_ID).orElseThrow().path("id").asText();

        JsonNode enrollment = api.get("/api/v1/journeys/cart-abandonment/enrollments?customer=" + customer).get(0);
        assertThat(enrollment.path("status").asText()).isEqualTo("exited");
        assertThat(enrollment.path("endReason").asText()).contains("order.paid");
        CLOCK.advance(Duration.ofHours(22));
        awaitTimersFired();
        assertThat(templatesTo(openid)).isEmpty();
        assertThat(api.get("/api/v1/tasks?customer=" + customer)).isEmpty();
    }

    @Test
    void aWebLeadIsAssignedByRegionWelcomedAndEscalatedToTheManagerAfter24HoursWithoutFollowUp() {
        String slow = "oLeadSlow" + SEQ.incrementAndGet() + "_0123456789";
        String quick = "oLeadQuick" + SEQ.incrementAndGet() + "_0123456789";
        String slowCustomer = lead(slow, "王芳", "east");
        String quickCustomer = lead(quick, "李雷", "east");

        JsonNode welcome = await().atMost(Duration.ofSeconds(30)).until(() -> templatesTo(slow), l -> !l.isEmpty()).get(0);
        assertThat(welcome.path("template_id").asText()).isEqualTo("lead-welcome-template");
        assertThat(welcome.path("data").path("first").path("value").asText()).isEqualTo("王芳，感谢您的咨询");
        JsonNode slowTask = api.get("/api/v1/tasks?assignee=li.wei&customer=" + slowCustomer).get(0);
        assertThat(slowTask.path("title").asText()).isEqualTo("新线索：王芳");
        assertThat(slowTask.path("region").asText()).isEqualTo("east");
        JsonNode quickTask = api.get("/api/v1/tasks?assignee=li.wei&customer=" + quickCustomer).get(0);
        CLOCK.advance(Duration.ofHours(2));
        HttpResponse<String> done = api.completeTask(quickTask.path("id").asText(), "li.wei", "called back");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(api.completeTask(quickTask.path("id").asText(), "li.wei", "again").statusCode()).isEqualTo(409);

        CLOCK.advance(Duration.ofHours(22));

        JsonNode escalated = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/tasks?assignee=zhang.min&customer=" + slowCustomer), t -> t.size() == 1).get(0);
        assertThat(escalated.path("escalatedFrom").asText()).isEqualTo("li.wei");
        assertThat(escalated.path("status").asText()).isEqualTo("open");
        awaitTimersFired();
        JsonNode stillDone = api.get("/api/v1/tasks/" + quickTask.path("id").asText());
        assertThat(stillDone.path("assignee").asText()).isEqualTo("li.wei");
        assertThat(stillDone.path("status").asText()).isEqualTo("done");
        assertThat(stillDone.path("escalatedAt").isNull()).isTrue();
    }

    @Test
    void aTicketResolvedWithSatisfaction5BringsAReviewInvitationSevenDaysLaterAndTheTagBrandAdvocate() {
        String happy = follower("oHappy");
        String meh = follower("oMeh");
        String happyCustomer = profile(happy, true, null);
        String mehCustomer = profile(meh, true, null);
        awaitApplied(happy, postEvent(ticket(happy, "T-77", 5)));
        awaitApplied(meh, postEvent(ticket(meh, "T-78", 4)));

        CLOCK.advance(Duration.ofDays(6));
        awaitTimersFired();
        assertThat(subscribesTo(happy)).isEmpty();
        CLOCK.advance(Duration.ofDays(1));

        JsonNode invitation = await().atMost(Duration.ofSeconds(30)).until(() -> subscribesTo(happy), l -> !l.isEmpty()).get(0);
        assertThat(invitation.path("template_id").asText()).isEqualTo("review-invite-template");
        assertThat(invitation.path("page").asText()).isEqualTo("pages/review/index?ticket=T-77");
        assertThat(invitation.path("data").path("thing1").path("value").asText()).isEqualTo("分享您的使用体验");
        assertThat(api.get("/api/v1/customers/" + happyCustomer).path("tags").toString()).contains("brand-advocate");
        awaitTimersFired();
        assertThat(subscribesTo(meh)).isEmpty();
        assertThat(api.get("/api/v1/customers/" + mehCustomer).path("tags")).isEmpty();
    }

    @Test
    void lifetimeSpendMakesAVipAndAVipAtChurnRiskGetsARetentionTaskAndALargeCoupon() {
        String openid = follower("oVip");
        String customer = profile(openid, true, null);
        awaitApplied(openid, postEvent(paidOrder(openid, 300_000)));
        assertThat(api.get("/api/v1/customers/" + customer).path("tags")).isEmpty();
        awaitApplied(openid, postEvent(paidOrder(openid, 250_000)));
        assertThat(api.get("/api/v1/customers/" + customer).path("tags").toString()).contains("VIP");

        awaitApplied(openid, postEvent(churn(openid, 85)));

        JsonNode coupon = await().atMost(Duration.ofSeconds(30)).until(() -> templatesTo(openid), l -> !l.isEmpty()).get(0);
        assertThat(coupon.path("template_id").asText()).isEqualTo("vip-coupon-template");
        assertThat(coupon.path("data").path("keyword1").path("value").asText()).isEqualTo("500 元无门槛券");
        JsonNode task = api.get("/api/v1/tasks?customer=" + customer).get(0);
        assertThat(task.path("title").asText()).isEqualTo("VIP 流失风险 85：请安排回访");
        assertThat(task.path("assignee").asText()).isEqualTo("crm-team");
        assertThat(api.get("/api/v1/segments/vip-churn-risk/members").path("customers").toString()).contains(customer);
        assertThat(api.get("/api/v1/customers/" + customer).path("scores").path("churn_risk").asLong()).isEqualTo(85);
    }

    @Test
    void aCustomerWhoseLastOrderIs31DaysOldEntersTheLapsedSegmentWithoutAnEventAndGetsTheWinBackCouponOnce() {
        String openid = follower("oLapsed");
        String customer = profile(openid, true, null);
        awaitApplied(openid, postEvent(paidOrder(openid, 19_900)));
        awaitSweepOf(CLOCK.instant());
        awaitOutboxEmpty();
        // swept on the day of the order: not lapsed, nothing sent
        assertThat(api.get("/api/v1/segments/lapsed-30d/members").path("customers").toString()).doesNotContain(customer);
        assertThat(templatesTo(openid)).isEmpty();

        CLOCK.advance(Duration.ofDays(31)); // no event: the sweep of the new day finds the customer lapsed

        JsonNode coupon = await().atMost(Duration.ofSeconds(30)).until(() -> templatesTo(openid), l -> !l.isEmpty()).get(0);
        assertThat(coupon.path("template_id").asText()).isEqualTo("win-back-template");
        assertThat(coupon.path("data").path("keyword2").path("value").asText()).isEqualTo("31 天未下单");
        assertThat(api.get("/api/v1/segments/lapsed-30d/members").path("customers").toString()).contains(customer);
        JsonNode enrollment = api.get("/api/v1/journeys/win-back/enrollments?customer=" + customer).get(0);
        assertThat(enrollment.path("triggerEventId").asText()).startsWith("segment:lapsed-30d:" + customer);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/actions?customer=" + customer + "&status=sent").size() == 1);

        // the next day's sweep finds the customer still lapsed: no second entry, no second coupon
        CLOCK.advance(Duration.ofDays(1));
        awaitSweepOf(CLOCK.instant());
        awaitOutboxEmpty();
        assertThat(templatesTo(openid)).hasSize(1);
        assertThat(api.get("/api/v1/journeys/win-back/enrollments?customer=" + customer)).hasSize(1);
        assertThat(api.get("/api/v1/actions?customer=" + customer)).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------
    // guards

    @Test
    void aCustomerWithoutMarketingConsentGetsNoCouponAndTheSuppressionIsRecorded() {
        String openid = follower("oNoConsent");
        String customer = profile(openid, null, "SH-001");
        awaitApplied(openid, postEvent(cart(openid, 500_000)));

        CLOCK.advance(Duration.ofHours(24));

        JsonNode suppressed = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/actions?customer=" + customer + "&status=suppressed"), a -> a.size() == 1).get(0);
        assertThat(suppressed.path("reason").asText()).startsWith("consent:");
        assertThat(api.get("/api/v1/tasks?customer=" + customer)).hasSize(1); // the store follows up all the same
        awaitOutboxEmpty();
        assertThat(templatesTo(openid)).isEmpty();
    }

    @Test
    void aCouponDueInQuietHoursWaitsUntil8InTheMorning() {
        String openid = follower("oNightOwl");
        String customer = profile(openid, true, null);
        CLOCK.moveTo(CLOCK.instant().atZone(SHANGHAI).with(LocalTime.of(22, 30)).toInstant());
        awaitApplied(openid, postEvent(cart(openid, 150_000)));

        CLOCK.advance(Duration.ofHours(24));
        JsonNode deferred = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/actions?customer=" + customer + "&status=planned"), a -> a.size() == 1).get(0);
        assertThat(deferred.path("reason").asText()).startsWith("quiet hours");
        awaitOutboxEmpty();
        assertThat(templatesTo(openid)).isEmpty();

        CLOCK.moveTo(CLOCK.instant().atZone(SHANGHAI).plusDays(1).with(LocalTime.of(8, 0)).toInstant());
        await().atMost(Duration.ofSeconds(30)).until(() -> templatesTo(openid), l -> l.size() == 1);
    }

    @Test
    void frequencyCapsHoldForRulesWrittenOverTheApi() {
        HttpResponse<String> put = api.putDefinition("rules", "flash-sale", """
                description: A flash-sale message on every profile update (a test of the caps).
                on: profile.updated
                when: "event.extra[?'flashSale'].orValue(false)"
                then:
                  - send:
                      via:
                        - connector: wechat
                          instance: brand-oa
                          kind: wechat.template
                          recipient: wechat_openid
                          payload: { template_id: flash-sale-template }
                """);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String openid = follower("oCapped");
        String customer = profile(openid, true, null);
        for (int i = 0; i < 3; i++) {
            ObjectNode update = event("profile.updated", openid);
            AutomationApi.data(update).putObject("extra").put("flashSale", true);
            awaitApplied(openid, postEvent(update));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> templatesTo(openid), l -> l.size() == 2);
        JsonNode suppressed = api.get("/api/v1/actions?customer=" + customer + "&status=suppressed").get(0);
        assertThat(suppressed.path("reason").asText()).isEqualTo("frequency cap: 2 marketing messages per 1 d on wechat");
        awaitOutboxEmpty();
        assertThat(templatesTo(openid)).hasSize(2);
        assertThat(api.delete("/api/v1/rules/flash-sale").statusCode()).isEqualTo(204);
    }

    // ------------------------------------------------------------------------------------------
    // definitions over the API, the webhook action, bad input

    @Test
    void aDryRunOverTheApiShowsWhatARuleWouldSendToAChosenCustomerAndSendsAndKeepsNothing() {
        String openid = follower("oDryRun");
        String customer = profile(openid, true, null);
        awaitOutboxEmpty();
        int actionsBefore = api.get("/api/v1/actions?customer=" + customer).size();
        String rule = """
                on: profile.updated
                when: "event.extra[?'gift'].orValue(false)"
                then:
                  - send:
                      via:
                        - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                            payload: { template_id: gift-template } }
                """;
        ObjectNode request = (ObjectNode) AutomationApi.parse("{}");
        request.put("kind", "rule").put("id", "gift-note").put("customer", "wechat_openid:" + openid).put("namespace", APP_ID);
        request.putObject("event").put("type", "profile.updated").putObject("data").putObject("extra").put("gift", true);

        HttpResponse<String> broken = api.postJson("/api/v1/automation/dry-run", request.put("yaml", rule.replace("then:", "thne:")));
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(AutomationApi.parse(broken.body()).path("line").asInt()).isEqualTo(3);

        HttpResponse<String> reply = api.postJson("/api/v1/automation/dry-run", request.put("yaml", rule));
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode result = AutomationApi.parse(reply.body());
        assertThat(result.path("matches").asBoolean()).isTrue();
        assertThat(result.path("customerId").asText()).isEqualTo(customer);
        assertThat(result.path("actions")).hasSize(1);
        JsonNode message = result.path("actions").get(0);
        assertThat(message.path("kind").asText()).isEqualTo("wechat.template");
        assertThat(message.path("payload").path("template_id").asText()).isEqualTo("gift-template");
        assertThat(message.path("recipient").asText()).doesNotContain(openid.substring(3, openid.length() - 2));

        awaitOutboxEmpty();
        assertThat(templatesTo(openid)).as("nothing sent").isEmpty();
        assertThat(api.get("/api/v1/actions?customer=" + customer)).as("nothing kept").hasSize(actionsBefore);
        assertThat(api.get("/api/v1/rules").toString()).doesNotContain("gift-note");
    }

    @Test
    void aSignedWebhookGoesToTheCrmForEveryLeadDefinedOverTheApi() throws Exception {
        HttpResponse<String> bad = api.putDefinition("rules", "lead-to-crm", """
                on: lead.created
                then:
                  - webhook: { target: crm, body: { name: "{{ event.attributes.name " } }
                """);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(AutomationApi.parse(bad.body()).path("detail").asText()).startsWith("api:rules/lead-to-crm:3:").contains("'}}'");
        assertThat(api.get("/api/v1/automation").path("sources").toString()).doesNotContain("lead-to-crm");

        HttpResponse<String> put = api.putDefinition("rules", "lead-to-crm", """
                on: lead.created
                then:
                  - webhook: { target: crm, body: { name: "{{ event.attributes.name }}", region: "{{ event.attributes.region }}" } }
                """);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(api.get("/api/v1/rules/lead-to-crm").path("source").asText()).isEqualTo("api:rules/lead-to-crm:1");
        String openid = "oLeadHook" + SEQ.incrementAndGet() + "_0123456789";
        lead(openid, "韩梅梅", "north");

        LoggedRequest hook = await().atMost(Duration.ofSeconds(30)).until(
                () -> CHANNELS.findAll(postRequestedFor(urlPathEqualTo("/crm-hook"))).stream()
                        .filter(r -> r.getBodyAsString().contains("韩梅梅")).toList(), l -> l.size() == 1).get(0);
        JsonNode body = AutomationApi.parse(hook.getBodyAsString());
        assertThat(body.path("data").path("region").asText()).isEqualTo("north");
        assertThat(body.path("origin").asText()).isEqualTo("rule:lead-to-crm");
        assertThat(hook.getHeader("X-OmniHub-Action-Id")).isEqualTo(body.path("id").asText());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((hook.getHeader("X-OmniHub-Timestamp") + ".").getBytes(StandardCharsets.UTF_8));
        assertThat(hook.getHeader("X-OmniHub-Signature")).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(hook.getBody())));
        assertThat(api.delete("/api/v1/rules/lead-to-crm").statusCode()).isEqualTo(204);
        assertThat(api.delete("/api/v1/journeys/cart-abandonment").statusCode()).isEqualTo(409);
    }

    @Test
    void anInvalidEventIsRefusedWithTheReasonNothingIsQueuedAndItIsKeptOnTheDeadLetterQueue() {
        String openid = "oInvalid" + SEQ.incrementAndGet() + "_0123456789";
        ObjectNode good = cart(openid, 100);
        ObjectNode bad = event("cart.updated", openid);
        AutomationApi.data(bad).putObject("order").put("id", "C-1").put("currency", "yuan").put("totalMinor", 1);
        HttpResponse<String> answer = api.postEvents(AutomationApi.JSON.createArrayNode().add(good).add(bad));

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode problem = AutomationApi.parse(answer.body());
        assertThat(problem.path("detail").asText()).isEqualTo("1 of 2 events are not valid canonical events; none was queued");
        assertThat(problem.path("errors").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(problem.path("errors").get(0).path("problem").asText()).contains("currency");
        assertThat(api.get("/api/v1/dlq").toString()).contains("\"stage\":\"api\"");
        assertThat(api.customerByOpenid(openid, APP_ID)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------

    /** A new follower of the Official Account, over the WeChat webhook. */
    private String follower(String prefix) {
        String openid = prefix + SEQ.incrementAndGet() + "_0123456789abcdef";
        HttpResponse<String> ack = wechat.postSafeMode("brand-oa", openid,
                WeChatWebhookClient.subscribe(openid, System.currentTimeMillis() / 1000));
        assertThat(ack.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.customerByOpenid(openid, APP_ID).isPresent());
        return openid;
    }

    /** The shop states consent and home store; returns the customer id. */
    private String profile(String openid, Boolean marketing, String homeStore) {
        ObjectNode update = event("profile.updated", openid);
        if (marketing != null) {
            AutomationApi.data(update).putObject("consent").put("marketing", marketing);
        }
        if (homeStore != null) {
            AutomationApi.data(update).putObject("attributes").put("homeStore", homeStore);
        }
        awaitApplied(openid, postEvent(update));
        return api.customerByOpenid(openid, APP_ID).orElseThrow().path("id").asText();
    }

    private String lead(String openid, String name, String region) {
        ObjectNode lead = AutomationApi.openid(AutomationApi.event("webform:" + SEQ.incrementAndGet(), "lead.created",
                "/connectors/webform/site", CLOCK.instant()), openid, APP_ID);
        AutomationApi.data(lead).putObject("attributes").put("name", name).put("region", region);
        AutomationApi.data(lead).putObject("extra").put("form", "spring-expo");
        awaitApplied(openid, postEvent(lead));
        return api.customerByOpenid(openid, APP_ID).orElseThrow().path("id").asText();
    }

    private ObjectNode event(String type, String openid) {
        return AutomationApi.openid(AutomationApi.event("shop:" + SEQ.incrementAndGet(), type, SHOP, CLOCK.instant()), openid, APP_ID);
    }

    private ObjectNode cart(String openid, long totalMinor) {
        ObjectNode cart = event("cart.updated", openid);
        AutomationApi.data(cart).putObject("order").put("id", "CART-" + SEQ.get()).put("currency", "CNY").put("totalMinor", totalMinor);
        return cart;
    }

    private ObjectNode paidOrder(String openid, long totalMinor) {
        ObjectNode paid = event("order.paid", openid);
        AutomationApi.data(paid).putObject("order").put("id", "SO-" + SEQ.get()).put("status", "PAID").put("currency", "CNY")
                .put("totalMinor", totalMinor);
        return paid;
    }

    private ObjectNode ticket(String openid, String ticketId, int satisfaction) {
        ObjectNode resolved = AutomationApi.openid(AutomationApi.event("desk:" + SEQ.incrementAndGet(), "ticket.resolved",
                "/connectors/helpdesk/main", CLOCK.instant()), openid, APP_ID);
        AutomationApi.data(resolved).putObject("extra").put("ticketId", ticketId).put("satisfaction", satisfaction);
        return resolved;
    }

    private ObjectNode churn(String openid, int value) {
        ObjectNode score = AutomationApi.openid(AutomationApi.event("churn:" + SEQ.incrementAndGet(), "score.changed",
                "/connectors/churn-model/nightly", CLOCK.instant()), openid, APP_ID);
        AutomationApi.data(score).putObject("extra").put("score", "churn_risk").put("value", value);
        return score;
    }

    private String postEvent(ObjectNode event) {
        HttpResponse<String> answer = api.postEvents(event);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return event.path("id").asText();
    }

    private void awaitApplied(String openid, String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> api.applied(openid, APP_ID, eventId));
    }

    private static List<JsonNode> templatesTo(String openid) {
        return sentTo("/cgi-bin/message/template/send", openid);
    }

    private static List<JsonNode> subscribesTo(String openid) {
        return sentTo("/cgi-bin/message/subscribe/bizsend", openid);
    }

    private static List<JsonNode> sentTo(String path, String openid) {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : CHANNELS.findAll(postRequestedFor(urlPathEqualTo(path)))) {
            JsonNode body = AutomationApi.parse(r.getBodyAsString());
            if (openid.equals(body.path("touser").asText())) {
                out.add(body);
            }
        }
        return out;
    }

    /** The segment sweep of the day {@code at} falls in (UTC) has finished on some node. */
    private void awaitSweepOf(Instant at) {
        String day = at.toString().substring(0, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/automation").path("lastSweep").path("period").asText(),
                period -> period.compareTo(day) >= 0);
    }

    /** Every timer due by the test's clock has fired (the timer route runs every 200 ms). */
    private void awaitTimersFired() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode next = api.get("/api/v1/automation").path("nextTimerDue");
            return next.isNull() || Instant.parse(next.asText()).isAfter(CLOCK.instant());
        });
        awaitOutboxEmpty();
    }

    /** Nothing due waits in the outbox or on hub.actions. */
    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/actions?status=queued").isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode planned : api.get("/api/v1/actions?status=planned")) {
                if (!Instant.parse(planned.path("notBefore").asText()).isAfter(CLOCK.instant())) {
                    return false;
                }
            }
            return true;
        });
    }

}
