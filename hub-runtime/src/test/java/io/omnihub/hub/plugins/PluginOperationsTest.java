package io.omnihub.hub.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.WeChatPluginJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing, reloading, disabling and allowlisting plugins, on the real PF4J loader with the real
 * WeChat plugin JAR (and copies of it with another version or SDK range).
 */
class PluginOperationsTest {

    @TempDir
    Path folder;

    @TempDir
    Path elsewhere;

    private final List<PluginRuntime> started = new ArrayList<>();
    private final List<String> catalogEvents = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(PluginRuntime::stop);
    }

    @Test
    void anUploadedPluginIsWrittenToTheFolderStartedAndListedWithItsChecksum() throws IOException {
        PluginRuntime runtime = runtime(new HubProperties());
        byte[] jar = Files.readAllBytes(WeChatPluginJar.path());

        PluginStatus installed = runtime.install(jar);

        assertThat(installed.id()).isEqualTo("wechat");
        assertThat(installed.state()).isEqualTo("STARTED");
        assertThat(installed.connectors()).containsExactly("wechat");
        assertThat(installed.sha256()).isEqualTo(PluginRuntime.sha256(jar));
        assertThat(folder.resolve(installed.file())).exists().hasBinaryContent(jar);
        assertThat(catalogEvents).containsExactly("added wechat");
        assertThat(jarsIn(folder)).containsExactly(installed.file());
    }

    @Test
    void anUploadNeedingANewerSdkIsRefusedWithTheReasonAndNothingIsWritten() throws IOException {
        PluginRuntime runtime = runtime(new HubProperties());
        Path future = elsewhere.resolve("future.jar");
        WeChatPluginJar.copyWithManifest(future, "wechat-next", ">=9.0.0");

        assertThatThrownBy(() -> runtime.install(Files.readAllBytes(future)))
                .isInstanceOf(PluginRefusedException.class)
                .hasMessageContaining("requires SDK >=9.0.0 but this hub provides SDK");
        assertThat(jarsIn(folder)).isEmpty();
        assertThat(runtime.plugins()).isEmpty();
    }

    @Test
    void anUploadThatIsNoPluginIsRefused() {
        PluginRuntime runtime = runtime(new HubProperties());

        assertThatThrownBy(() -> runtime.install("not a jar at all".getBytes()))
                .isInstanceOf(PluginRefusedException.class)
                .hasMessageContaining("not a plugin JAR");
        assertThat(jarsIn(folder)).isEmpty();
    }

    @Test
    void uploadingAPluginThatIsInstalledIsAConflictPointingAtReload() throws IOException {
        PluginRuntime runtime = runtime(new HubProperties());
        byte[] jar = Files.readAllBytes(WeChatPluginJar.path());
        runtime.install(jar);

        assertThatThrownBy(() -> runtime.install(jar))
                .isInstanceOfSatisfying(PluginRefusedException.class, e -> assertThat(e.kind()).isEqualTo(PluginRefusedException.Kind.CONFLICT))
                .hasMessageContaining("already installed")
                .hasMessageContaining("reload");
    }

    @Test
    void reloadingANewVersionClosesTheConnectorUnloadsAndLoadsTheNewJarUnderTheSameName() throws IOException {
        Files.copy(WeChatPluginJar.path(), folder.resolve("wechat-plugin.jar"));
        PluginRuntime runtime = runtime(new HubProperties());
        Path next = elsewhere.resolve("next.jar");
        WeChatPluginJar.copyWithManifest(next, "wechat", ">=1.0.0 & <2.0.0", "0.2.0");
        byte[] nextBytes = Files.readAllBytes(next);

        PluginStatus reloaded = runtime.reload("wechat", nextBytes).orElseThrow();

        assertThat(reloaded.version()).isEqualTo("0.2.0");
        assertThat(reloaded.state()).isEqualTo("STARTED");
        assertThat(reloaded.file()).isEqualTo("wechat-plugin.jar");
        assertThat(reloaded.sha256()).isEqualTo(PluginRuntime.sha256(nextBytes));
        assertThat(catalogEvents).containsExactly("added wechat", "removed wechat", "added wechat");
        assertThat(jarsIn(folder)).containsExactly("wechat-plugin.jar");
    }

    @Test
    void aRefusedNewVersionLeavesTheRunningOneUntouched() throws IOException {
        Files.copy(WeChatPluginJar.path(), folder.resolve("wechat-plugin.jar"));
        PluginRuntime runtime = runtime(new HubProperties());
        Path future = elsewhere.resolve("future.jar");
        WeChatPluginJar.copyWithManifest(future, "wechat", ">=9.0.0", "9.0.0");

        assertThatThrownBy(() -> runtime.reload("wechat", Files.readAllBytes(future)))
                .isInstanceOf(PluginRefusedException.class)
                .hasMessageContaining("requires SDK >=9.0.0");
        PluginStatus kept = runtime.plugin("wechat").orElseThrow();
        assertThat(kept.state()).isEqualTo("STARTED");
        assertThat(kept.version()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(catalogEvents).containsExactly("added wechat");
    }

    @Test
    void aDisabledPluginStaysDisabledAfterARestartUntilStartedAgain() throws IOException {
        Files.copy(WeChatPluginJar.path(), folder.resolve("wechat-plugin.jar"));
        PluginRuntime runtime = runtime(new HubProperties());

        PluginStatus disabled = runtime.disable("wechat").orElseThrow();
        runtime.stop();
        PluginRuntime restarted = runtime(new HubProperties());

        assertThat(disabled.state()).isEqualTo("DISABLED");
        assertThat(disabled.connectors()).isEmpty();
        PluginStatus afterRestart = restarted.plugin("wechat").orElseThrow();
        assertThat(afterRestart.state()).isEqualTo("DISABLED");
        assertThat(afterRestart.reason()).contains("disabled");
        assertThat(restarted.start("wechat").orElseThrow().state()).isEqualTo("STARTED");
    }

    @Test
    void withAnAllowlistAJarWhoseChecksumIsNotOnItIsRefusedWithTheReason() throws IOException {
        Files.copy(WeChatPluginJar.path(), folder.resolve("wechat-plugin.jar"));
        HubProperties properties = new HubProperties();
        properties.getPlugins().setAllowedSha256(List.of("0".repeat(64)));

        PluginRuntime runtime = runtime(properties);

        PluginStatus refused = runtime.plugins().get(0);
        assertThat(refused.id()).isEqualTo("wechat");
        assertThat(refused.state()).isEqualTo("REFUSED");
        assertThat(refused.reason()).contains("is not in hub.plugins.allowed-sha256");
        assertThat(catalogEvents).isEmpty();
        assertThatThrownBy(() -> runtime.install(Files.readAllBytes(WeChatPluginJar.path())))
                .isInstanceOf(PluginRefusedException.class)
                .hasMessageContaining("hub.plugins.allowed-sha256");
    }

    @Test
    void withAnAllowlistAJarWhoseChecksumIsOnItStarts() throws IOException {
        Files.copy(WeChatPluginJar.path(), folder.resolve("wechat-plugin.jar"));
        HubProperties properties = new HubProperties();
        properties.getPlugins().setAllowedSha256(List.of(PluginRuntime.sha256(folder.resolve("wechat-plugin.jar")).toUpperCase()));

        PluginRuntime runtime = runtime(properties);

        assertThat(runtime.plugin("wechat").orElseThrow().state()).isEqualTo("STARTED");
    }

    private PluginRuntime runtime(HubProperties properties) {
        properties.getPlugins().setDir(folder);
        // Scans only when told: these tests change the folder through the runtime itself.
        properties.getPlugins().setScanInterval(java.time.Duration.ofHours(1));
        ConnectorCatalog catalog = new ConnectorCatalog();
        catalog.addListener(new ConnectorCatalog.Listener() {
            @Override
            public void connectorAdded(CatalogEntry entry) {
                catalogEvents.add("added " + entry.connectorId());
            }

            @Override
            public void connectorRemoved(CatalogEntry entry) {
                catalogEvents.add("removed " + entry.connectorId());
            }
        });
        PluginRuntime runtime = new PluginRuntime(properties, catalog);
        runtime.start();
        started.add(runtime);
        return runtime;
    }

    private static List<String> jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
