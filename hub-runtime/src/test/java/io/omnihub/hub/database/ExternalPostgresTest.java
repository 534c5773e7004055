package io.omnihub.hub.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.hub.HubApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same hub on an external PostgreSQL, chosen by {@code spring.datasource.*} alone: no embedded
 * server is started and the schema is migrated into the external database.
 */
// The hub stops with the class, before its database: a cached hub that outlived its database spent
// its stop waiting for connections and held the test JVM's exit past Surefire's limit. Declared
// before @SpringBootTest, the database's extension runs its afterAll after Spring's has closed the hub.
@ExtendWith(ExternalPostgresTest.StopsAfterTheHub.class)
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExternalPostgresTest {

    /** Stands in for an operator's PostgreSQL: a separate server the hub did not start. */
    static final EmbeddedPostgres EXTERNAL;

    static {
        try {
            EXTERNAL = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the stand-in external PostgreSQL", e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("omnihub-external-db");
        registry.add("hub.data-dir", dataDir::toString);
        registry.add("hub.plugins.dir", () -> dataDir.resolve("plugins").toString());
        registry.add("spring.datasource.url", () -> EXTERNAL.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    /** Stops the database once the hub on it has stopped, as an operator would. */
    static final class StopsAfterTheHub implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            EXTERNAL.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ObjectProvider<EmbeddedPostgresServer> embeddedServer;

    @Test
    void hubRunsOnTheConfiguredDatabaseWithoutStartingItsOwn() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(embeddedServer.getIfAvailable()).isNull();
        assertThat(tableExists("crm_processed_event")).isTrue();
        assertThat(tableExists("hub_token_cache")).isTrue();
    }

    private static boolean tableExists(String name) throws SQLException {
        try (Connection connection = EXTERNAL.getPostgresDatabase().getConnection();
             ResultSet rows = connection.getMetaData().getTables(null, null, name, null)) {
            return rows.next();
        }
    }
}
