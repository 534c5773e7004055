package io.omnihub.hub.plugins;

import static io.omnihub.testsupport.HubListings.instance;
import static io.omnihub.testsupport.HubListings.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.SdkVersion;
import io.omnihub.hub.RunningHub;
import io.omnihub.hub.WeChatPluginJar;
import io.omnihub.routes.ConnectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Integrators drop plugin JARs into the folder, and take them out, while the hub runs. */
class PluginFolderWatchingTest extends RunningHub {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Autowired
    ConnectorRegistry registry;

    @Test
    void removedPluginStopsItsInstancesAndCopiedBackStartsAgainWithoutRestart() throws Exception {
        awaitJson("/api/v1/plugins", DEADLINE, list -> plugin(list, "wechat") != null
                && "STARTED".equals(plugin(list, "wechat").path("state").asText()));
        Path jar = PLUGINS_DIR.resolve(PLUGIN_FILE);
        Path aside = WORK_DIR.resolve("wechat-plugin.jar.aside");

        Files.move(jar, aside, StandardCopyOption.REPLACE_EXISTING);
        try {
            awaitJson("/api/v1/plugins", DEADLINE, list -> plugin(list, "wechat") == null);
            JsonNode connectors = awaitJson("/api/v1/connectors", DEADLINE,
                    list -> "STOPPED".equals(instance(list, "wechat", "brand-oa").path("state").asText()));
            assertThat(instance(connectors, "wechat", "brand-oa").path("error").asText()).contains("plugin 'wechat' stopped");
            assertThat(registry.find("wechat", "brand-oa")).isEmpty();
        } finally {
            Files.copy(aside, jar, StandardCopyOption.REPLACE_EXISTING);
        }

        JsonNode plugins = awaitJson("/api/v1/plugins", DEADLINE, list -> plugin(list, "wechat") != null
                && "STARTED".equals(plugin(list, "wechat").path("state").asText()));
        assertThat(plugin(plugins, "wechat").path("connectors").toString()).isEqualTo("[\"wechat\"]");
        awaitJson("/api/v1/connectors", DEADLINE,
                list -> "RUNNING".equals(instance(list, "wechat", "brand-oa").path("state").asText()));
        assertThat(registry.find("wechat", "brand-oa")).isPresent();
    }

    @Test
    void operatorStopsAPluginAndStartsItAgain() {
        awaitJson("/api/v1/connectors", DEADLINE,
                list -> "RUNNING".equals(instance(list, "wechat", "brand-oa").path("state").asText()));

        RunningHub.Answer stopped = post("/api/v1/plugins/wechat/stop", admin.username(), admin.password());
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().path("state").asText()).isEqualTo("STOPPED");
        assertThat(stopped.json().path("reason").asText()).isEqualTo("stopped by an operator");
        assertThat(registry.find("wechat", "brand-oa")).isEmpty();
        assertThat(instance(getAsAdmin("/api/v1/connectors").json(), "wechat", "brand-oa").path("state").asText()).isEqualTo("STOPPED");

        RunningHub.Answer started = post("/api/v1/plugins/wechat/start", admin.username(), admin.password());
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().path("state").asText()).isEqualTo("STARTED");
        assertThat(registry.find("wechat", "brand-oa")).isPresent();
        assertThat(post("/api/v1/plugins/no-such-plugin/stop", admin.username(), admin.password()).status()).isEqualTo(404);
    }

    @Test
    void pluginRequiringAFutureSdkIsRefusedWithTheReason() throws Exception {
        Path futureJar = PLUGINS_DIR.resolve("wechat-next.jar");
        WeChatPluginJar.copyWithManifest(futureJar, "wechat-next", ">=9.0.0");
        try {
            JsonNode plugins = awaitJson("/api/v1/plugins", DEADLINE, list -> plugin(list, "wechat-next") != null);
            JsonNode refused = plugin(plugins, "wechat-next");

            assertThat(refused.path("state").asText()).isEqualTo("DISABLED");
            assertThat(refused.path("requires").asText()).isEqualTo(">=9.0.0");
            assertThat(refused.path("reason").asText())
                    .isEqualTo("requires SDK >=9.0.0 but this hub provides SDK " + SdkVersion.CURRENT);
            assertThat(refused.path("connectors").size()).isZero();
            // The running WeChat plugin is not disturbed by its refused sibling.
            assertThat(plugin(plugins, "wechat").path("state").asText()).isEqualTo("STARTED");
            RunningHub.Answer startAnyway = post("/api/v1/plugins/wechat-next/start", admin.username(), admin.password());
            assertThat(startAnyway.status()).isEqualTo(409);
            assertThat(startAnyway.json().path("detail").asText()).contains("requires SDK >=9.0.0");
        } finally {
            Files.deleteIfExists(futureJar);
        }
        awaitJson("/api/v1/plugins", DEADLINE, list -> plugin(list, "wechat-next") == null);
    }

    @Test
    void jarThatIsNotAPluginIsListedAsFailedWithTheReason() throws Exception {
        Path notAPlugin = PLUGINS_DIR.resolve("readme.jar");
        Files.write(notAPlugin, "this is not a zip".getBytes());
        try {
            JsonNode plugins = awaitJson("/api/v1/plugins", DEADLINE, list -> plugin(list, "readme") != null);

            assertThat(plugin(plugins, "readme").path("state").asText()).isEqualTo("FAILED");
            assertThat(plugin(plugins, "readme").path("reason").asText()).startsWith("cannot be loaded");
        } finally {
            Files.deleteIfExists(notAPlugin);
        }
        awaitJson("/api/v1/plugins", DEADLINE, list -> plugin(list, "readme") == null);
    }
}
