package io.omnihub.connectors.pos;

import static io.omnihub.connectors.pos.PosFixtures.cloudConfig;
import static io.omnihub.connectors.pos.PosFixtures.csvConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.schema.ConfigSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosConnectorTest {

    @TempDir
    Path folder;

    private static ConnectorInstance open(Map<String, String> config) {
        return new PosConnector().open(PosFixtures.context(config));
    }

    private static Map<String, String> with(Map<String, String> config, String key, String value) {
        Map<String, String> changed = new HashMap<>(config);
        changed.put(key, value);
        return changed;
    }

    @Test
    void descriptorOffersPollingOnlyAndMarksTheAppKeySecret() {
        var descriptor = new PosConnector().descriptor();
        ConfigSchema schema = ConfigSchema.parse(descriptor.configSchema());

        assertThat(descriptor.id()).isEqualTo("pos");
        assertThat(descriptor.capabilities()).containsExactly(Capability.POLL);
        assertThat(schema.problems()).isEmpty();
        assertThat(schema.secretKeys()).containsExactly("app-key");
        for (CsvField field : CsvField.values()) {
            assertThat(schema.declares(field.configKey())).as(field.configKey()).isTrue();
        }
    }

    @Test
    void schemaRequiresWhatEachSourceNeeds() {
        ConfigSchema schema = ConfigSchema.parse(new PosConnector().descriptor().configSchema());

        assertThat(schema.validate(Map.of("source", "cloud-api", "app-id", "x")))
                .anySatisfy(v -> assertThat(v).contains("app-key"))
                .anySatisfy(v -> assertThat(v).contains("api-base-url"));
        assertThat(schema.validate(Map.of("source", "csv-folder"))).anySatisfy(v -> assertThat(v).contains("folder"));
        assertThat(schema.validate(Map.of("source", "csv-folder", "folder", "/data/pos", "settle-seconds", "5",
                "batch-size", "200"))).isEmpty();
        assertThat(schema.validate(Map.of("source", "ftp"))).isNotEmpty();
    }

    @Test
    void eachSourceOpensItsOwnKindOfInstance() {
        assertThat(open(cloudConfig("https://area20-win.pospal.cn:443"))).isInstanceOf(PospalInstance.class);
        assertThat(open(csvConfig(folder))).isInstanceOf(CsvFolderInstance.class);
    }

    @Test
    void configurationThatCannotWorkIsRefusedNamingTheKey() {
        Map<String, String> cloud = cloudConfig("https://area20-win.pospal.cn:443");
        Map<String, String> csv = csvConfig(folder);

        assertThatThrownBy(() -> open(with(cloud, "source", "ftp"))).isInstanceOf(ConfigException.class).hasMessageContaining("'source'");
        assertThatThrownBy(() -> open(with(cloud, "api-base-url", "area20-win.pospal.cn"))).hasMessageContaining("api-base-url");
        assertThatThrownBy(() -> open(with(cloud, "brand", "a:b"))).hasMessageContaining("'brand'");
        assertThatThrownBy(() -> open(with(cloud, "time-zone", "Mars/Olympus"))).hasMessageContaining("'time-zone'");
        assertThatThrownBy(() -> open(with(cloud, "window-delay", "soon"))).hasMessageContaining("'window-delay'");
        assertThatThrownBy(() -> open(with(csv, "encoding", "UTF-16"))).hasMessageContaining("ASCII-compatible");
        assertThatThrownBy(() -> open(with(csv, "encoding", "KLINGON-8"))).hasMessageContaining("'encoding'");
        assertThatThrownBy(() -> open(with(csv, "time-format", "yyyy-MM-dd {{HH}}"))).hasMessageContaining("'time-format'");
        assertThatThrownBy(() -> open(with(csv, "columns.phone", "电话"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown column mapping 'columns.phone'").hasMessageContaining("columns.member-phone");
        assertThatThrownBy(() -> open(with(csv, "batch-size", "0"))).hasMessageContaining("'batch-size'");
        assertThatThrownBy(() -> open(with(csv, "settle-seconds", "ten"))).hasMessageContaining("'settle-seconds'");
    }

    @Test
    void appKeyNeverAppearsInTheConfigsText() {
        String text = PospalConfig.from(PosFixtures.context(cloudConfig("https://x.pospal.cn")).config(),
                PosConfig.from(PosFixtures.context(cloudConfig("https://x.pospal.cn")).config(), "i")).toString();

        assertThat(text).doesNotContain(PosFixtures.APP_KEY).contains("appKey=******");
    }

    @Test
    void folderCheckCreatesDoneAndErrorAndReportsWhatIsWrong() throws IOException {
        CheckResult ok = open(csvConfig(folder)).check();
        assertThat(ok.ok()).isTrue();
        assertThat(folder.resolve("done")).isDirectory();
        assertThat(folder.resolve("error")).isDirectory();

        CheckResult missing = open(csvConfig(folder.resolve("nope"))).check();
        assertThat(missing.ok()).isFalse();
        assertThat(missing.message()).contains("does not exist");

        Path file = Files.writeString(folder.resolve("a-file"), "x");
        CheckResult notAFolder = open(csvConfig(file)).check();
        assertThat(notAFolder.ok()).isFalse();
        assertThat(notAFolder.message()).contains("is not a folder");
    }

    @Test
    void folderCheckReportsAFolderTheHubMayNotWrite() throws IOException {
        Path readOnly = Files.createDirectory(folder.resolve("ro"));
        assertThat(readOnly.toFile().setWritable(false)).isTrue();
        try {
            // root ignores permissions, so only a non-root run can see the refusal
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(readOnly), "running as root");
            CheckResult result = open(csvConfig(readOnly)).check();
            assertThat(result.ok()).isFalse();
            assertThat(result.message()).contains("may not read and write");
        } finally {
            readOnly.toFile().setWritable(true);
        }
    }

    @Test
    void pluginClassIsThePf4jPlugin() {
        assertThat(org.pf4j.Plugin.class).isAssignableFrom(PosPlugin.class);
        assertThat(Set.of(PosConnector.class.getInterfaces())).contains(io.omnihub.connector.ChannelConnector.class);
        assertThat(PosConnector.class.getAnnotation(org.pf4j.Extension.class)).isNotNull();
    }
}
