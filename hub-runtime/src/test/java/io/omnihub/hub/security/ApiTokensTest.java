package io.omnihub.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.hub.RunningHub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * API tokens as an admin and a machine client use them: created over the API with a role, shown
 * once, used as {@code Authorization: Bearer}, limited to their role, revoked, expired.
 */
class ApiTokensTest extends RunningHub {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    DataSource dataSource;

    @Test
    void anAdminCreatesATokenThatIsShownOnceAndWorksForReadingWithinItsRole() throws Exception {
        JsonNode created = create("erp-sync", "viewer", null);
        String secret = created.path("token").asText();

        assertThat(secret).startsWith("ohk_").hasSizeGreaterThanOrEqualTo(40);
        assertThat(created.path("role").asText()).isEqualTo("viewer");
        assertThat(created.path("createdBy").asText()).isEqualTo("admin");
        assertThat(secret).startsWith(created.path("hint").asText());

        HttpResponse<String> read = bearer("GET", "/api/v1/connectors", secret);
        HttpResponse<String> session = bearer("GET", "/api/v1/session", secret);
        HttpResponse<String> act = bearer("POST", "/api/v1/connectors/wechat/instances/brand-oa/check", secret);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(session.body()).path("user").asText()).isEqualTo("token:erp-sync");
        assertThat(JSON.readTree(session.body()).path("roles").toString()).isEqualTo("[\"viewer\"]");
        assertThat(act.statusCode()).isEqualTo(403);
        // Listed, but never again with its secret.
        Answer list = getAsAdmin("/api/v1/tokens");
        assertThat(list.body()).contains(created.path("id").asText()).doesNotContain(secret);
        assertThat(session.headers().firstValue("Set-Cookie")).as("a token request opens no session").isEmpty();
    }

    @Test
    void anOperatorTokenChangesThingsWithoutACsrfToken() throws Exception {
        String secret = create("ops-robot", "operator", null).path("token").asText();

        HttpResponse<String> check = bearer("POST", "/api/v1/connectors/wechat/instances/brand-oa/check", secret);

        assertThat(check.statusCode()).isEqualTo(202);
    }

    @Test
    void aRevokedTokenIsRefusedFromTheNextRequestOn() throws Exception {
        JsonNode created = create("short-lived-integration", "viewer", null);
        String secret = created.path("token").asText();
        assertThat(bearer("GET", "/api/v1/board", secret).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = asAdmin("DELETE", "/api/v1/tokens/" + created.path("id").asText(), null);
        HttpResponse<String> after = bearer("GET", "/api/v1/board", secret);

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).path("revokedBy").asText()).isEqualTo("admin");
        assertThat(JSON.readTree(revoked.body()).path("active").asBoolean()).isFalse();
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(after.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"OmniHub\"");
    }

    @Test
    void aTokenStopsWorkingWhenItExpires() throws Exception {
        String secret = create("until-soon", "viewer", Instant.now().plusSeconds(2)).path("token").asText();
        assertThat(bearer("GET", "/api/v1/board", secret).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> bearer("GET", "/api/v1/board", secret).statusCode() == 401);
    }

    @Test
    void onlyAnAdminCreatesListsAndRevokesTokens() throws Exception {
        String operatorToken = create("not-allowed-to-mint", "operator", null).path("token").asText();

        assertThat(send("/api/v1/tokens", VIEWER, VIEWER_PASSWORD).status()).isEqualTo(403);
        assertThat(bearer("GET", "/api/v1/tokens", operatorToken).statusCode()).isEqualTo(403);
        HttpResponse<String> mint = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tokens"))
                .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"escalate\",\"role\":\"admin\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(mint.statusCode()).isEqualTo(403);
    }

    @Test
    void aTokenRequestIsRefusedWithAClearProblemWhenItsFieldsAreWrong() throws Exception {
        HttpResponse<String> noName = asAdmin("POST", "/api/v1/tokens", "{\"role\":\"viewer\"}");
        HttpResponse<String> badRole = asAdmin("POST", "/api/v1/tokens", "{\"name\":\"x\",\"role\":\"root\"}");
        HttpResponse<String> past = asAdmin("POST", "/api/v1/tokens", "{\"name\":\"x\",\"role\":\"viewer\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}");

        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).contains("'name' is required");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(badRole.body()).contains("viewer, operator or admin");
        assertThat(past.statusCode()).isEqualTo(400);
    }

    @Test
    void theDatabaseKeepsOnlyTheTokensSha256() throws Exception {
        String secret = create("hash-only", "viewer", null).path("token").asText();

        List<Map<String, Object>> rows = new JdbcTemplate(dataSource).queryForList("SELECT * FROM hub_api_token WHERE name = 'hash-only'");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).values().toString()).doesNotContain(secret);
        assertThat(rows.get(0).get("token_sha256")).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void anUnknownTokenIsRefused() throws Exception {
        HttpResponse<String> made = bearer("GET", "/api/v1/board", "ohk_thisTokenWasNeverIssuedByTheHub0000000000000");
        HttpResponse<String> notOurs = bearer("GET", "/api/v1/board", "some.jwt.token");

        assertThat(made.statusCode()).isEqualTo(401);
        assertThat(notOurs.statusCode()).isEqualTo(401);
    }

    private JsonNode create(String name, String role, Instant expiresAt) throws IOException, InterruptedException {
        String body = "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"" + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"") + "}";
        HttpResponse<String> answer = asAdmin("POST", "/api/v1/tokens", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> asAdmin(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((admin.username() + ":" + admin.password())
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> bearer(String method, String path, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
