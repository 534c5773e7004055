package io.omnihub.hub.security;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a hostile web page can make an operator's browser do to the hub: nothing. The requests are
 * the ones a browser sends for a page on another site (its {@code Origin}, its Fetch Metadata, the
 * hub's credentials it holds), to every state-changing operation the OpenAPI document lists.
 */
class CrossSiteRequestTest extends RunningHub {

    private static final String EVIL = "https://evil.example";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void aCrossSiteFormPostCarryingBasicCredentialsIsRefusedAtEveryStateChangingEndpoint() throws Exception {
        List<String[]> operations = stateChangingOperations();
        assertThat(operations).as("the OpenAPI document lists the API's changes").hasSizeGreaterThan(20);
        List<String> let = new ArrayList<>();
        for (String[] operation : operations) {
            String method = operation[0];
            String path = operation[1].replaceAll("\\{[^}]+}", "x");
            // A modern browser (Fetch Metadata), and an older one or plain HTTP to a host other than
            // localhost (only Origin): both send the Basic credentials they cached.
            for (Map<String, String> browser : List.of(Map.of("Origin", EVIL, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate"),
                    Map.of("Origin", EVIL))) {
                HttpResponse<String> answer = send(formPost(method, path, browser).header("Authorization", basic(admin.username(), admin.password())));
                if (answer.statusCode() != 403) {
                    let.add(method + " " + path + " " + browser.keySet() + " -> " + answer.statusCode());
                }
            }
        }
        assertThat(let).as("cross-site requests that were not refused").isEmpty();
    }

    @Test
    void aCrossSitePluginUploadIsRefusedAndInstallsNothing() throws Exception {
        int pluginsBefore = getAsAdmin("/api/v1/plugins").json().size();
        String boundary = "----evil" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"evil.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\nPK\u0003\u0004not-really-a-jar\r\n--" + boundary + "--\r\n";
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/plugins"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Origin", EVIL).header("Sec-Fetch-Site", "cross-site")
                .header("Authorization", basic(admin.username(), admin.password()))
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("cross-site request refused");
        assertThat(getAsAdmin("/api/v1/plugins").json().size()).isEqualTo(pluginsBefore);
    }

    @Test
    void aCrossSiteLoginIsRefused() throws Exception {
        HttpResponse<String> answer = send(formPost("POST", "/login", Map.of("Origin", EVIL))
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + URLEncoder.encode(admin.password(), StandardCharsets.UTF_8))));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void anOriginSpoofedAsSameSiteOrNullIsRefusedToo() throws Exception {
        String check = "/api/v1/connectors/wechat/instances/brand-oa/check";
        HttpResponse<String> sameSite = send(formPost("POST", check, Map.of("Sec-Fetch-Site", "same-site", "Origin", "https://other.localhost"))
                .header("Authorization", basic(admin.username(), admin.password())));
        HttpResponse<String> nullOrigin = send(formPost("POST", check, Map.of("Origin", "null"))
                .header("Authorization", basic(admin.username(), admin.password())));

        assertThat(sameSite.statusCode()).isEqualTo(403);
        assertThat(nullOrigin.statusCode()).isEqualTo(403);
    }

    @Test
    void noAnswerEverAsksABrowserForBasicCredentials() throws Exception {
        List<HttpResponse<String>> refusals = List.of(
                send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/plugins")).header("Accept", "text/html,application/xhtml+xml").GET()),
                send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/plugins")).GET()),
                send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/plugins")).header("Authorization", basic("admin", "wrong")).GET()),
                send(HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus")).GET()),
                send(HttpRequest.newBuilder(URI.create(base() + "/v3/api-docs")).GET()));

        for (HttpResponse<String> refusal : refusals) {
            assertThat(refusal.statusCode()).isEqualTo(401);
            assertThat(refusal.headers().allValues("WWW-Authenticate")).noneMatch(challenge -> challenge.toLowerCase().contains("basic"));
        }
        assertThat(refusals.get(0).headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"OmniHub\"");
    }

    @Test
    void basicCredentialsSentAlongWithTheSessionCookieDoNotExcuseAMissingCsrfToken() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        String loginPage = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> loggedIn = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + URLEncoder.encode(admin.password(), StandardCharsets.UTF_8)
                        + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(302);

        HttpResponse<String> change = browser.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/connectors/wechat/instances/brand-oa/check"))
                .header("Authorization", basic(admin.username(), admin.password()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(change.statusCode()).isEqualTo(403);
        assertThat(change.body()).contains("CSRF token");
    }

    @Test
    void aSameOriginChangeFromTheConsolesOwnPageIsNotMistakenForACrossSiteOne() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/connectors/wechat/instances/brand-oa/check"))
                .header("Origin", base()).header("Authorization", basic(admin.username(), admin.password()))
                .POST(HttpRequest.BodyPublishers.noBody()));

        // Past the origin check, and then stopped by the CSRF check: a browser's request needs the token.
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("CSRF token").doesNotContain("cross-origin");
    }

    /** [method, path] of every POST, PUT, PATCH and DELETE in the OpenAPI document. */
    private List<String[]> stateChangingOperations() {
        JsonNode paths = getAsAdmin("/v3/api-docs").json().path("paths");
        List<String[]> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> entries = paths.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            for (String method : List.of("post", "put", "patch", "delete")) {
                if (entry.getValue().has(method)) {
                    operations.add(new String[] {method.toUpperCase(), entry.getKey()});
                }
            }
        }
        operations.add(new String[] {"POST", "/logout"});
        return operations;
    }

    private HttpRequest.Builder formPost(String method, String path, Map<String, String> browserHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html,application/xhtml+xml")
                .method(method, HttpRequest.BodyPublishers.ofString("name=evil&role=admin"));
        browserHeaders.forEach(request::header);
        return request;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
