package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.hub.sealing.SealingKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators set over the API (a paused instance, a stopped one, an instance they created) is
 * what the hub comes back with after a restart: the hub runs as its own process, is stopped, and is
 * started again on the same data folder. The restarts rotate the sealing key as docs/runtime.md says
 * (a new key, the old one still opening, then the old one gone): the secrets stored over the API and
 * a secret sealed in the configuration keep working.
 */
class OperatorChangesSurviveARestartTest {

    private static final String PASSWORD = "restart-admin-password";
    private static final String SECRET = "token-of-the-api-instance";

    @TempDir
    Path work;

    HubProcess hub;

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    void pausedStoppedAndApiCreatedInstancesComeBackAsTheyWereLeft() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.wechatJar(), plugins.resolve("wechat-plugin.jar"));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hub.data-dir", work.resolve("data").toString());
        properties.put("hub.plugins.dir", plugins.toString());
        properties.put("hub.security.admin-password", PASSWORD);
        for (String instance : new String[] {"kept-paused", "kept-stopped"}) {
            properties.put("hub.connectors.wechat." + instance + ".kind", "mp");
            properties.put("hub.connectors.wechat." + instance + ".app-id", "wx00000000000000a1");
            properties.put("hub.connectors.wechat." + instance + ".token", "properties-token");
        }
        hub = new HubProcess(properties, work.resolve("hub.log"));
        hub.start(Duration.ofSeconds(120));
        ApiCalls api = new ApiCalls(hub.baseUrl());
        awaitState(api, "kept-paused", "RUNNING");
        awaitState(api, "kept-stopped", "RUNNING");

        assertThat(call(api, "POST", "/api/v1/connectors/wechat/instances/kept-paused/pause", null).status()).isEqualTo(200);
        assertThat(call(api, "POST", "/api/v1/connectors/wechat/instances/kept-stopped/stop", null).status()).isEqualTo(200);
        assertThat(call(api, "PUT", "/api/v1/connectors/wechat/instances/made-by-api",
                Map.of("kind", "mp", "app-id", "wx00000000000000b2", "token", SECRET)).status()).isEqualTo(201);
        String sealedToken = seal(api, "token-kept-sealed-in-the-configuration");
        hub.stop();
        // The operator rotates the sealing key: a key of their own now, the key file's still opens.
        String newKey = SealingKeys.newKey();
        hub.start(Duration.ofSeconds(120), "--hub.security.sealing.key=" + newKey,
                "--hub.connectors.wechat.from-sealed-config.kind=mp", "--hub.connectors.wechat.from-sealed-config.app-id=wx00000000000000c3",
                "--hub.connectors.wechat.from-sealed-config.token=" + sealedToken);

        awaitState(api, "made-by-api", "RUNNING");
        assertThat(instance(api, "kept-paused").path("state").asText()).isEqualTo("PAUSED");
        assertThat(instance(api, "kept-stopped").path("state").asText()).isEqualTo("STOPPED");
        assertThat(instance(api, "kept-stopped").path("error").asText()).isEqualTo("stopped by an operator");
        JsonNode created = instance(api, "made-by-api");
        assertThat(created.path("source").asText()).isEqualTo("api");
        assertThat(created.path("config").path("token").asText()).isEqualTo("******");
        WeChatWebhookClient wechat = new WeChatWebhookClient(hub.baseUrl(), SECRET, null, "wx00000000000000b2");
        assertThat(wechat.verifyUrl("made-by-api", "after-restart").body()).isEqualTo("after-restart");
        awaitState(api, "from-sealed-config", "RUNNING");
        assertThat(new WeChatWebhookClient(hub.baseUrl(), "token-kept-sealed-in-the-configuration", null, "wx00000000000000c3")
                .verifyUrl("from-sealed-config", "opened").body()).isEqualTo("opened");
        String resealedToken = seal(api, "token-kept-sealed-in-the-configuration");

        // Once every stored secret is sealed with the new key, the old one can go.
        hub.stop();
        Files.delete(work.resolve("data").resolve("sealing.key"));
        hub.start(Duration.ofSeconds(120), "--hub.security.sealing.key=" + newKey,
                "--hub.connectors.wechat.from-sealed-config.kind=mp", "--hub.connectors.wechat.from-sealed-config.app-id=wx00000000000000c3",
                "--hub.connectors.wechat.from-sealed-config.token=" + resealedToken);

        awaitState(api, "made-by-api", "RUNNING");
        assertThat(wechat.verifyUrl("made-by-api", "after-rotation").body()).isEqualTo("after-rotation");
        assertThat(new WeChatWebhookClient(hub.baseUrl(), "token-kept-sealed-in-the-configuration", null, "wx00000000000000c3")
                .verifyUrl("from-sealed-config", "still-opened").body()).isEqualTo("still-opened");
    }

    private static String seal(ApiCalls api, String secret) {
        ApiCalls.Reply sealed = call(api, "POST", "/api/v1/secrets/seal", Map.of("value", secret));
        assertThat(sealed.status()).as(sealed.body()).isEqualTo(200);
        assertThat(sealed.body()).doesNotContain(secret);
        return sealed.json().path("sealed").asText();
    }

    private static ApiCalls.Reply call(ApiCalls api, String method, String path, Object body) {
        return api.call(method, path, body == null ? null : ApiCalls.json(body), "admin", PASSWORD);
    }

    private static JsonNode instance(ApiCalls api, String instance) {
        return call(api, "GET", "/api/v1/connectors/wechat/instances/" + instance, null).json();
    }

    private static void awaitState(ApiCalls api, String instance, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            ApiCalls.Reply reply = call(api, "GET", "/api/v1/connectors/wechat/instances/" + instance, null);
            return reply.status() == 200 && state.equals(reply.json().path("state").asText());
        });
    }
}
