package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.hub.RunningHub;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operators create, change, pause, resume, stop, restart and delete connector instances over the
 * API, on a running hub with the real WeChat plugin; secrets are write-only throughout.
 */
class InstanceOperationsTest extends RunningHub {

    private static final String SECRET_TOKEN = "api-created-token-7781";
    private static final String PAUSED_OPENID = "oPausedInstance_0123456789ab";

    private ApiCalls api;

    private boolean customerSeen(String openid) {
        return getAsAdmin("/api/v1/customers?identity=wechat_openid:" + openid + "&namespace=wx1111222233334444").status() == 200;
    }

    @BeforeEach
    void client() {
        api = new ApiCalls("http://localhost:" + port);
    }

    private ApiCalls.Reply asAdmin(String method, String path, Object body) {
        return api.call(method, path, body == null ? null : ApiCalls.json(body), admin.username(), admin.password());
    }

    private ApiCalls.Reply create(String instance) {
        return asAdmin("PUT", "/api/v1/connectors/wechat/instances/" + instance,
                Map.of("kind", "mp", "app-id", "wx1111222233334444", "token", SECRET_TOKEN));
    }

    @Test
    void anInstanceCreatedOverTheApiRunsAndNeverShowsItsSecret() {
        ApiCalls.Reply created = create("api-created");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("state").asText()).isEqualTo("RUNNING");
        assertThat(created.json().path("source").asText()).isEqualTo("api");
        assertThat(created.json().path("config").path("token").asText()).isEqualTo("******");
        assertThat(created.body()).doesNotContain(SECRET_TOKEN);
        assertThat(getAsAdmin("/api/v1/connectors").body()).doesNotContain(SECRET_TOKEN).contains("api-created");
        WeChatWebhookClient wechat = new WeChatWebhookClient("http://localhost:" + port, SECRET_TOKEN, null, "wx1111222233334444");
        assertThat(wechat.verifyUrl("api-created", "echo-1").body()).isEqualTo("echo-1");
    }

    @Test
    void oneConnectorServesTheJsonSchemaOfAnInstanceConfigurationWithItsSecretsMarkedAndItsWebhookPath() {
        Answer wechat = getAsAdmin("/api/v1/connectors/wechat");

        assertThat(wechat.status()).isEqualTo(200);
        JsonNode schema = wechat.json().path("configSchema");
        assertThat(schema.path("properties").path("kind").path("enum")).extracting(JsonNode::asText).contains("mp", "wecom");
        assertThat(schema.path("properties").path("app-secret").path("x-secret").asBoolean()).isTrue();
        assertThat(schema.path("properties").path("token").path("description").asText()).isNotBlank();
        assertThat(wechat.json().path("webhookPath").asText()).isEqualTo("/hooks/wechat/{instance}");
        assertThat(getAsAdmin("/api/v1/connectors").body()).as("only one connector's view carries its schema")
                .doesNotContain("configSchema");
        assertThat(getAsAdmin("/api/v1/connectors/no-such-connector").status()).isEqualTo(404);
    }

    @Test
    void aChangeThatLeavesTheSecretOutOrMaskedKeepsTheStoredOne() {
        create("api-changed");

        ApiCalls.Reply changed = asAdmin("PUT", "/api/v1/connectors/wechat/instances/api-changed",
                Map.of("kind", "mp", "app-id", "wx5555666677778888"));
        ApiCalls.Reply masked = asAdmin("PUT", "/api/v1/connectors/wechat/instances/api-changed",
                Map.of("kind", "mp", "app-id", "wx5555666677778888", "token", "******"));

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("config").path("app-id").asText()).isEqualTo("wx5555666677778888");
        assertThat(changed.json().path("state").asText()).isEqualTo("RUNNING");
        assertThat(masked.status()).isEqualTo(200);
        WeChatWebhookClient wechat = new WeChatWebhookClient("http://localhost:" + port, SECRET_TOKEN, null, "wx5555666677778888");
        assertThat(wechat.verifyUrl("api-changed", "still-signed").body()).isEqualTo("still-signed");
    }

    @Test
    void aStoredSecretIsNeverSentToANewAddressWithoutBeingGivenAgain() {
        create("api-moved");

        ApiCalls.Reply moved = asAdmin("PUT", "/api/v1/connectors/wechat/instances/api-moved",
                Map.of("kind", "mp", "app-id", "wx1111222233334444", "token", "******",
                        "api-base-url", "https://collector.example.net"));
        ApiCalls.Reply movedWithSecret = asAdmin("PUT", "/api/v1/connectors/wechat/instances/api-moved",
                Map.of("kind", "mp", "app-id", "wx1111222233334444", "token", "a-new-token-given-again",
                        "api-base-url", "https://collector.example.net"));

        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.json().path("problems").toString()).contains("token", "api-base-url changed");
        assertThat(movedWithSecret.status()).isEqualTo(200);
        assertThat(movedWithSecret.json().path("config").path("api-base-url").asText()).isEqualTo("https://collector.example.net");
    }

    @Test
    void aConfigurationThatBreaksTheSchemaIsRefusedNamingTheKeysAndNothingIsCreated() {
        ApiCalls.Reply refused = asAdmin("PUT", "/api/v1/connectors/wechat/instances/api-invalid",
                Map.of("kind", "mp", "app-id", "wx1111222233334444", "encoding-aes-key", "too-short-secret"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("title").asText()).isEqualTo("Invalid Configuration");
        assertThat(refused.json().path("problems").toString()).contains("token", "encoding-aes-key");
        assertThat(refused.body()).doesNotContain("too-short-secret");
        assertThat(getAsAdmin("/api/v1/connectors/wechat/instances/api-invalid").status()).isEqualTo(404);
    }

    @Test
    void anInstanceOfAConnectorThatIsNotInstalledCannotBeValidatedSoItIsAConflict() {
        ApiCalls.Reply refused = asAdmin("PUT", "/api/v1/connectors/douyin/instances/shop", Map.of("app-key", "x"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("not installed");
    }

    @Test
    void pauseResumeStopAndRestartMoveTheInstanceThroughItsStates() {
        create("api-lifecycle");
        String base = "/api/v1/connectors/wechat/instances/api-lifecycle";
        WeChatWebhookClient wechat = new WeChatWebhookClient("http://localhost:" + port, SECRET_TOKEN, null, "wx1111222233334444");

        JsonNode paused = asAdmin("POST", base + "/pause", null).json();
        String verifiedWhilePaused = wechat.verifyUrl("api-lifecycle", "paused?").body();
        int pushedWhilePaused = wechat.postPlain("api-lifecycle", PAUSED_OPENID,
                WeChatWebhookClient.subscribe(PAUSED_OPENID, System.currentTimeMillis() / 1000)).statusCode();
        boolean appliedWhilePaused = customerSeen(PAUSED_OPENID);
        JsonNode resumed = asAdmin("POST", base + "/resume", null).json();
        String webhookAfterResume = wechat.verifyUrl("api-lifecycle", "back").body();
        JsonNode stopped = asAdmin("POST", base + "/stop", null).json();
        ApiCalls.Reply pauseWhileStopped = asAdmin("POST", base + "/pause", null);
        JsonNode restarted = asAdmin("POST", base + "/restart", null).json();

        assertThat(paused.path("state").asText()).isEqualTo("PAUSED");
        // A paused instance still answers and keeps its channel's pushes; they wait for the resume.
        assertThat(verifiedWhilePaused).isEqualTo("paused?");
        assertThat(pushedWhilePaused).isEqualTo(200);
        assertThat(appliedWhilePaused).isFalse();
        assertThat(resumed.path("state").asText()).isEqualTo("RUNNING");
        await().atMost(Duration.ofSeconds(30)).until(() -> customerSeen(PAUSED_OPENID));
        assertThat(webhookAfterResume).isEqualTo("back");
        assertThat(stopped.path("state").asText()).isEqualTo("STOPPED");
        assertThat(stopped.path("error").asText()).isEqualTo("stopped by an operator");
        assertThat(pauseWhileStopped.status()).isEqualTo(409);
        assertThat(restarted.path("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void restartingAFailedInstanceTriesItAgainAndItStaysFailedWhileItsConfigurationIsWrong() {
        JsonNode before = getAsAdmin("/api/v1/connectors/wechat/instances/broken-oa").json();

        ApiCalls.Reply restarted = asAdmin("POST", "/api/v1/connectors/wechat/instances/broken-oa/restart", null);

        assertThat(restarted.status()).isEqualTo(200);
        assertThat(restarted.json().path("state").asText()).isEqualTo("FAILED");
        assertThat(restarted.json().path("error").asText()).contains("invalid configuration");
        assertThat(restarted.json().path("since").asText()).isNotEqualTo(before.path("since").asText());
    }

    @Test
    void deletingAnApiInstanceClosesAndRemovesItButAPropertiesInstanceIsKept() {
        create("api-deleted");

        ApiCalls.Reply deleted = asAdmin("DELETE", "/api/v1/connectors/wechat/instances/api-deleted", null);
        ApiCalls.Reply propertiesOne = asAdmin("DELETE", "/api/v1/connectors/wechat/instances/brand-oa", null);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(getAsAdmin("/api/v1/connectors/wechat/instances/api-deleted").status()).isEqualTo(404);
        assertThat(new WeChatWebhookClient("http://localhost:" + port, SECRET_TOKEN, null, "wx1111222233334444")
                .verifyUrl("api-deleted", "gone?").statusCode()).isEqualTo(404);
        assertThat(propertiesOne.status()).isEqualTo(409);
        assertThat(propertiesOne.json().path("detail").asText()).contains("hub.connectors.wechat.brand-oa");
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "RUNNING".equals(getAsAdmin("/api/v1/connectors/wechat/instances/brand-oa").json().path("state").asText()));
    }

    @Test
    void aViewerMayLookButNotOperate() {
        ApiCalls.Reply pause = api.call("POST", "/api/v1/connectors/wechat/instances/brand-oa/pause", null, VIEWER, VIEWER_PASSWORD);
        ApiCalls.Reply create = api.call("PUT", "/api/v1/connectors/wechat/instances/viewer-made", "{\"kind\":\"mp\"}", VIEWER, VIEWER_PASSWORD);

        assertThat(pause.status()).isEqualTo(403);
        assertThat(create.status()).isEqualTo(403);
        assertThat(getAsAdmin("/api/v1/connectors/wechat/instances/brand-oa").json().path("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void operatingAnUnknownInstanceIsNotFound() {
        assertThat(asAdmin("POST", "/api/v1/connectors/wechat/instances/nobody/pause", null).status()).isEqualTo(404);
    }
}
