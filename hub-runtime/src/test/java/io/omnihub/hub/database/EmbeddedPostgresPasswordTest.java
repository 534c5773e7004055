package io.omnihub.hub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL as another local user of the machine finds it: listening on localhost
 * only, and nobody gets in, superuser or not, without the password kept in an owner-only file.
 */
class EmbeddedPostgresPasswordTest {

    @Test
    void aNewClusterListensOnLocalhostOnlyAndLetsNobodyInWithoutItsPassword() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-password-").resolve("postgres");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20))) {
            Path passwordFile = dataDir.resolveSibling("postgres.password");
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(server.password()).hasSize(32);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertRefused(server, "");
            assertRefused(server, "postgres");
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", server.password())) {
                assertThat(query(connection, "show listen_addresses")).isEqualTo("localhost");
                assertThat(query(connection, "select count(*) from pg_hba_file_rules where auth_method <> 'scram-sha-256'")).isEqualTo("0");
            }
        }
    }

    @Test
    void aClusterAnEarlierHubLeftTrustingEveryConnectionRequiresAPasswordFromTheNextStartAndKeepsItsData() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-trusting-").resolve("postgres");
        // How hubs created their cluster before: initdb -A trust, no password.
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start();
             Connection connection = DriverManager.getConnection(earlier.getJdbcUrl("postgres", "postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("create table kept (name text)");
            statement.execute("insert into kept values ('from before')");
        }

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20))) {
            assertRefused(server, "");
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", server.password())) {
                assertThat(query(connection, "select name from kept")).isEqualTo("from before");
                assertThat(query(connection, "select count(*) from pg_hba_file_rules where auth_method = 'trust'")).isEqualTo("0");
            }
        }
        // And the next start finds it protected and the password where it left it.
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20))) {
            assertRefused(again, "");
            try (Connection connection = DriverManager.getConnection(again.jdbcUrl(), "postgres", again.password())) {
                assertThat(query(connection, "select name from kept")).isEqualTo("from before");
            }
        }
    }

    @Test
    void aProtectedClusterWhosePasswordFileIsGoneIsRefusedSayingWhatToRestore() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-lost-password-").resolve("postgres");
        EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20)).close();
        Files.delete(dataDir.resolveSibling("postgres.password"));

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("postgres.password is missing").hasMessageContaining("restore");
    }

    private static void assertRefused(EmbeddedPostgresServer server, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", password).close())
                .isInstanceOf(SQLException.class);
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
