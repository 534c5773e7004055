package io.omnihub.hub.sealing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.omnihub.hub.RunningHub;
import io.omnihub.hub.cluster.ClusterChanges;
import io.omnihub.hub.connectors.JdbcInstanceStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Secrets at rest, as someone holding a dump or a backup of the database would look for them: an
 * instance created over the API with its secrets, the channel token it cached, an API token. None of
 * them appears in any text, JSON or binary column of any table.
 */
class SecretsAtRestTest extends RunningHub {

    static final String APP_SECRET = "AppSecret-AtRest-7f3a9c21";
    static final String TOKEN = "PushToken-AtRest-5be1";
    static final String AES_KEY = "AtRestEncodingAesKey0123456789abcdefghijklm";
    static final String ACCESS_TOKEN = "ACCESS-TOKEN-AtRest-0d9e8f7a6b5c";
    static final WireMockServer WECHAT = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        WECHAT.start();
        WECHAT.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":7200}")));
    }

    @AfterAll
    static void stopWeChat() {
        WECHAT.stop();
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    ClusterChanges clusterChanges;

    @Autowired
    Sealer sealer;

    @Test
    void noSecretAppearsInAnyColumnOfAnyTable() throws Exception {
        HttpResponse<String> created = put("/api/v1/connectors/wechat/instances/at-rest-oa", "{\"kind\":\"mp\",\"app-id\":\"wx00000000a7e57000\","
                + "\"app-secret\":\"" + APP_SECRET + "\",\"token\":\"" + TOKEN + "\",\"encoding-aes-key\":\"" + AES_KEY + "\","
                + "\"api-base-url\":\"" + WECHAT.baseUrl() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // Its check fetches an access token from "WeChat", which lands in the token cache.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode instance = getAsAdmin("/api/v1/connectors/wechat/instances/at-rest-oa").json();
            return instance.path("lastCheck").path("ok").asBoolean(false);
        });
        HttpResponse<String> token = post("/api/v1/tokens", "{\"name\":\"at-rest\",\"role\":\"viewer\"}");
        String apiToken = JSON.readTree(token.body()).path("token").asText();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForObject("select count(*) from hub_token_cache where instance_id = 'at-rest-oa'", Integer.class))
                .as("the access token was cached").isPositive();

        List<String> found = new ArrayList<>();
        for (Map<String, Object> column : jdbc.queryForList("""
                select table_schema, table_name, column_name, data_type from information_schema.columns
                where table_schema not in ('pg_catalog', 'information_schema')
                  and data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')
                """)) {
            String table = "\"" + column.get("table_schema") + "\".\"" + column.get("table_name") + "\"";
            String name = "\"" + column.get("column_name") + "\"";
            String asText = "bytea".equals(column.get("data_type")) ? "encode(" + name + ", 'escape')" : name + "::text";
            for (String secret : List.of(APP_SECRET, TOKEN, AES_KEY, ACCESS_TOKEN, apiToken)) {
                Integer rows = jdbc.queryForObject("select count(*) from " + table + " where position(? in " + asText + ") > 0",
                        Integer.class, secret);
                if (rows > 0) {
                    found.add(table + "." + name + " holds " + secret.substring(0, 12) + "...");
                }
            }
        }

        assertThat(found).isEmpty();
        String stored = jdbc.queryForObject("select config::text from hub_connector_instance where instance = 'at-rest-oa'", String.class);
        assertThat(stored).contains("wx00000000a7e57000", WECHAT.baseUrl(), "sealed:v1:" + sealer.currentKeyId() + ":");
    }

    @Test
    void rotatingTheKeySealsStoredSecretsAgainSoTheOldKeyCanGo() {
        byte[] oldKey = key(1);
        byte[] newKey = key(2);
        Sealer before = new Sealer(oldKey, List.of());
        Sealer during = new Sealer(newKey, List.of(oldKey));
        Sealer after = new Sealer(newKey, List.of());
        Sealer wrong = new Sealer(key(3), List.of());
        String instance = "rotated-" + System.nanoTime();
        Map<String, String> config = Map.of("app-id", "wx00000000000ro7a7", "app-secret", "secret-before-rotation");
        new JdbcInstanceStore(dataSource, before, clusterChanges).saveConfig("rotation", instance, config, Set.of("app-secret"), "test", Instant.now());

        int resealed = new JdbcInstanceStore(dataSource, during, clusterChanges).resealWithCurrentKey();

        assertThat(resealed).isGreaterThanOrEqualTo(1);
        String stored = new JdbcTemplate(dataSource).queryForObject(
                "select config ->> 'app-secret' from hub_connector_instance where connector = 'rotation' and instance = ?", String.class, instance);
        assertThat(stored).startsWith("sealed:v1:" + after.currentKeyId() + ":");
        assertThat(config(after, instance)).isEqualTo(config);
        // A hub without the key opens nothing, and says so instead of failing to start.
        assertThat(config(wrong, instance)).containsOnlyKeys("app-id");
    }

    @Test
    void secretsWrittenBeforeSealingAreSealedWhenTheirSchemaIsKnown() {
        String instance = "legacy-" + System.nanoTime();
        new JdbcTemplate(dataSource).update("insert into hub_connector_instance (connector, instance, config, changed_at, changed_by) "
                + "values ('rotation', ?, '{\"app-id\":\"wx1\",\"app-secret\":\"plain-legacy-secret\"}'::jsonb, now(), 'test')", instance);
        JdbcInstanceStore store = new JdbcInstanceStore(dataSource, sealer, clusterChanges);

        assertThat(store.sealSecrets("rotation", instance, Set.of("app-secret"))).isTrue();
        assertThat(store.sealSecrets("rotation", instance, Set.of("app-secret"))).isFalse();
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "select config::text from hub_connector_instance where instance = ?", String.class, instance))
                .doesNotContain("plain-legacy-secret").contains("wx1");
        assertThat(config(sealer, instance)).containsEntry("app-secret", "plain-legacy-secret");
    }

    private Map<String, String> config(Sealer with, String instance) {
        return new JdbcInstanceStore(dataSource, with, clusterChanges).configs().get(new JdbcInstanceStore.Key("rotation", instance));
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) seed);
        return key;
    }

    private HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return withJson("PUT", path, json);
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return withJson("POST", path, json);
    }

    private HttpResponse<String> withJson(String method, String path, String json) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((admin.username() + ":" + admin.password())
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
