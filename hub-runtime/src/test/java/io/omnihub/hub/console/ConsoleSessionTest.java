package io.omnihub.hub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.hub.RunningHub;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's session: form login, the CSRF token every change made through the session cookie
 * must carry, and assets served by the hub itself.
 */
class ConsoleSessionTest extends RunningHub {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    private HttpClient browser;

    @BeforeEach
    void logIn() throws Exception {
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        String loginPage = browser.send(request("/login").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = CSRF_FIELD.matcher(loginPage);
        assertThat(csrf.find()).as("login form carries a CSRF token").isTrue();
        String form = "username=admin&password=" + URLEncoder.encode(admin.password(), StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> loggedIn = browser.send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    @Test
    void theSessionSaysWhoIsLoggedInWithTheirRolesAndTheCsrfToken() throws Exception {
        JsonNode session = json(browser.send(request("/api/v1/session").GET().build(), HttpResponse.BodyHandlers.ofString()));

        assertThat(session.path("user").asText()).isEqualTo("admin");
        assertThat(session.path("roles").toString()).contains("viewer", "operator", "admin");
        assertThat(session.path("csrf").path("header").asText()).isEqualTo("X-CSRF-TOKEN");
        assertThat(session.path("csrf").path("token").asText()).isNotBlank();
    }

    @Test
    void aChangeThroughTheSessionCookieWithoutTheCsrfTokenIsRefused() throws Exception {
        HttpResponse<String> forged = browser.send(request("/api/v1/connectors/wechat/instances/brand-oa/check")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void aChangeThroughTheSessionCookieWithTheCsrfTokenIsAccepted() throws Exception {
        JsonNode session = json(browser.send(request("/api/v1/session").GET().build(), HttpResponse.BodyHandlers.ofString()));

        HttpResponse<String> check = browser.send(request("/api/v1/connectors/wechat/instances/brand-oa/check")
                .header(session.path("csrf").path("header").asText(), session.path("csrf").path("token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(check.statusCode()).isEqualTo(202);
    }

    @Test
    void apiClientsWithHttpBasicNeedNoCsrfToken() throws Exception {
        HttpResponse<String> check = HttpClient.newHttpClient().send(request("/api/v1/connectors/wechat/instances/brand-oa/check")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + admin.password()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(check.statusCode()).isEqualTo(202);
    }

    @Test
    void theConsoleAndItsAssetsAreServedByTheHubAndLoadNothingFromElsewhere() throws Exception {
        HttpResponse<String> index = browser.send(request("/").header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> script = browser.send(request("/console/console.js").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> style = browser.send(request("/console/console.css").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("/console/console.js", "/console/console.css", "Dead letters");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(style.statusCode()).isEqualTo(200);
        for (HttpResponse<String> asset : java.util.List.of(index, script, style)) {
            assertThat(asset.body().replace("http://www.w3.org/2000/svg", ""))
                    .doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
        }
    }

    @Test
    void assetsNeedALogin() throws IOException, InterruptedException {
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(request("/console/console.js")
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(302);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
