package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub killed with SIGKILL while a customer waits in a journey: after a restart "a day later" (the
 * child process's clock shifted ahead, nobody waits) the timer fires and the coupon reaches WeChat
 * once, and only once.
 */
class TimerCrashRecoveryTest {

    static final String APP_ID = "wx00000000crashtmr";
    static final String PASSWORD = "timer-crash-admin";

    @TempDir
    Path work;

    final WireMockServer wechat = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    HubProcess hub;

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.stop();
        }
        wechat.stop();
    }

    @Test
    void aHubKilledDuringAWaitFiresTheTimerOnceAfterTheRestart() throws Exception {
        wechat.start();
        AutomationEndToEndTest.stubWeChat(wechat, APP_ID);
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.wechatJar(), plugins.resolve("wechat-plugin.jar"));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hub.data-dir", work.resolve("data").toString());
        properties.put("hub.plugins.dir", plugins.toString());
        properties.put("hub.security.admin-password", PASSWORD);
        properties.put("hub.automation.dir", Path.of("..", "automation").toAbsolutePath().normalize().toString());
        properties.put("hub.automation.timer-interval", "200ms");
        properties.put("hub.automation.outbox-interval", "200ms");
        // quiet hours would defer the coupon depending on when this test runs
        properties.put("hub.automation.guards.quiet-hours-enabled", "false");
        properties.put("hub.connectors.wechat.brand-oa.kind", "mp");
        properties.put("hub.connectors.wechat.brand-oa.app-id", APP_ID);
        properties.put("hub.connectors.wechat.brand-oa.app-secret", "timer-crash-secret");
        properties.put("hub.connectors.wechat.brand-oa.token", "timer-crash-token");
        properties.put("hub.connectors.wechat.brand-oa.api-base-url", wechat.baseUrl());
        hub = new HubProcess(HubWithShiftedClock.class.getName(), properties, work.resolve("hub.log"));
        String openid = "oTimerCrash_0123456789abcdefg";

        hub.start(Duration.ofMinutes(3));
        AutomationApi api = new AutomationApi(hub.baseUrl(), "admin", PASSWORD);
        ObjectNode cart = AutomationApi.openid(AutomationApi.event("shop:cart:crash", "cart.updated", "/connectors/shop/web",
                Instant.now()), openid, APP_ID);
        AutomationApi.data(cart).putObject("consent").put("marketing", true);
        AutomationApi.data(cart).putObject("order").put("id", "CART-CRASH").put("currency", "CNY").put("totalMinor", 188_800);
        HttpResponse<String> accepted = api.postEvents(cart);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.applied(openid, APP_ID, "shop:cart:crash"));
        String customer = api.customerByOpenid(openid, APP_ID).orElseThrow().path("id").asText();
        assertThat(api.get("/api/v1/journeys/cart-abandonment/enrollments?customer=" + customer).get(0).path("step").asText())
                .isEqualTo("wait-for-payment");
        hub.kill();

        hub.start(Duration.ofMinutes(3), "--omnihub.test.clock-shift=PT25H");
        AutomationApi restarted = new AutomationApi(hub.baseUrl(), "admin", PASSWORD);

        await().atMost(Duration.ofSeconds(60)).until(() -> restarted.get("/api/v1/actions?customer=" + customer + "&status=sent").size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> restarted.get("/api/v1/automation").path("nextTimerDue").isNull());
        JsonNode enrollment = restarted.get("/api/v1/journeys/cart-abandonment/enrollments?customer=" + customer).get(0);
        assertThat(enrollment.path("status").asText()).isEqualTo("completed");
        long coupons = wechat.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/message/template/send"))).stream()
                .filter(r -> r.getBodyAsString().contains(openid)).count();
        assertThat(coupons).isEqualTo(1);
        assertThat(restarted.get("/api/v1/dlq").toString()).doesNotContain("dispatch");
    }
}
