package io.omnihub.hub.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL flushes a commit to disk before it answers: what the hub acknowledged
 * survives a crash of the machine, not only of the hub's process.
 */
class EmbeddedPostgresDurabilityTest {

    @Test
    void commitsAreFlushedToDiskBeforeTheyAreAnswered() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-durable-").resolve("postgres");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20));
             Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", server.password());
             Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "fsync")).isEqualTo("on");
            assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(statement, "full_page_writes")).isEqualTo("on");
        }
    }

    private static String setting(Statement statement, String name) throws Exception {
        try (ResultSet rows = statement.executeQuery("show " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
