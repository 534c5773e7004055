package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means kept: the hub is killed with SIGKILL right after WeChat got its "success", and
 * after a restart on the same data folder every acknowledged message is applied exactly once.
 */
class CrashRecoveryTest {

    static final String TOKEN = "crash-test-token";
    static final String APP_ID = "wx0000000000crash1";
    static final String OPENID = "oCrashTest_0123456789abcdefgh";
    static final String PASSWORD = "crash-admin";
    static final int MESSAGES = 20;

    @TempDir
    Path work;

    WireMockServer wechatApi = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    HubProcess hub;

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.stop();
        }
        wechatApi.stop();
    }

    @Test
    void killedRightAfterAcknowledgingLosesNothingAndAppliesEachMessageOnce() throws Exception {
        wechatApi.start();
        WeChatApiStubs.officialAccount(wechatApi, APP_ID, OPENID, "oUnionCrashTest_abcdefghijklmn");
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.wechatJar(), plugins.resolve("wechat-plugin.jar"));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hub.data-dir", work.resolve("data").toString());
        properties.put("hub.plugins.dir", plugins.toString());
        properties.put("hub.security.admin-password", PASSWORD);
        properties.put("hub.connectors.wechat.crash-oa.kind", "mp");
        properties.put("hub.connectors.wechat.crash-oa.app-id", APP_ID);
        properties.put("hub.connectors.wechat.crash-oa.app-secret", "crash-secret");
        properties.put("hub.connectors.wechat.crash-oa.token", TOKEN);
        properties.put("hub.connectors.wechat.crash-oa.api-base-url", wechatApi.baseUrl());
        hub = new HubProcess(properties, work.resolve("hub.log"));
        long createTime = System.currentTimeMillis() / 1000;

        // First life: nothing consumes hub.raw, so when the hub dies every acknowledged message
        // exists only in the broker's journal.
        hub.start(Duration.ofMinutes(3), "--hub.pipeline.normalize-consumers=0");
        WeChatWebhookClient wechat = new WeChatWebhookClient(hub.baseUrl(), TOKEN, null, APP_ID);
        postAndExpectAck(wechat, createTime, 0, MESSAGES / 2);
        hub.kill();

        // Second life: the pipeline runs, and the hub dies right after the last acknowledgement,
        // with batches in flight between the broker and the database.
        hub.start(Duration.ofMinutes(3));
        wechat = new WeChatWebhookClient(hub.baseUrl(), TOKEN, null, APP_ID);
        postAndExpectAck(wechat, createTime, MESSAGES / 2, MESSAGES);
        hub.kill();

        hub.start(Duration.ofMinutes(3));
        HubApi api = new HubApi(hub.baseUrl(), "admin", PASSWORD);
        JsonNode customer = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(
                () -> api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElse(null),
                c -> c != null && c.path("timeline").size() >= MESSAGES);
        assertThat(customer.path("timeline")).hasSize(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            assertThat(customer.path("timeline").toString()).contains("消息 " + i);
        }
        // Redeliveries of batches the database had already applied are recognised by event id:
        // one more message gives exactly one more entry.
        wechat.postPlain("crash-oa", OPENID, WeChatWebhookClient.text(OPENID, createTime + MESSAGES, "after restart",
                7100000000000000999L));
        JsonNode after = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(
                () -> api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElse(null),
                c -> c != null && c.path("timeline").toString().contains("after restart"));
        assertThat(after.path("timeline")).hasSize(MESSAGES + 1);
        assertThat(api.getJson("/api/v1/dlq").toString()).doesNotContain("crash-oa");
    }

    private static void postAndExpectAck(WeChatWebhookClient wechat, long createTime, int from, int to) {
        for (int i = from; i < to; i++) {
            HttpResponse<String> ack = wechat.postPlain("crash-oa", OPENID,
                    WeChatWebhookClient.text(OPENID, createTime + i, "消息 " + i, 7100000000000000000L + i));
            assertThat(ack.statusCode()).as("acknowledgement of message %d", i).isEqualTo(200);
            assertThat(ack.body()).isEqualTo("success");
        }
    }
}
