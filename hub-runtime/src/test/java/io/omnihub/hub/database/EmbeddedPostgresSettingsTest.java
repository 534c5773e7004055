package io.omnihub.hub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.hub.HubProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * An operator sizes the embedded PostgreSQL through {@code hub.embedded-database.settings} (its
 * memory for a large customer graph, say), but cannot switch off what the hub promises with it.
 */
class EmbeddedPostgresSettingsTest {

    @Test
    void settingsFromTheHubsPropertiesReachTheServer() throws Exception {
        HubProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "hub.embedded-database.settings.shared-buffers", "48MB",
                "hub.embedded-database.settings.work-mem", "6MB")))
                .bind("hub", HubProperties.class).get();
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-settings-").resolve("postgres");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20),
                properties.getEmbeddedDatabase().getSettings());
             Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", server.password());
             Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "shared_buffers")).isEqualTo("48MB");
            assertThat(setting(statement, "work_mem")).isEqualTo("6MB");
            assertThat(setting(statement, "fsync")).isEqualTo("on");
        }
    }

    @Test
    void withoutASettingTheServerKeepsASixteenthOfTheMachinesMemoryForItsBuffersBetween128MbAnd1Gb() throws Exception {
        long machine = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long expected = Math.max(128L << 20, Math.min(1L << 30, machine / 16)) >> 20 << 20;
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-settings-").resolve("postgres");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20));
             Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", server.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select setting::bigint * 8192 from pg_settings where name = 'shared_buffers'")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(expected);
        }
    }

    @Test
    void theHubsOwnSettingsCannotBeChanged() {
        Path dataDir = Path.of("target", "pg-settings-refused", "postgres");

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20),
                Map.of("synchronous-commit", "off", "fsync", "off", "work_mem", "8MB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fsync, synchronous_commit")
                .hasMessageNotContaining("work_mem");
        assertThat(dataDir).doesNotExist();
    }

    private static String setting(Statement statement, String name) throws Exception {
        try (ResultSet rows = statement.executeQuery("show " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
