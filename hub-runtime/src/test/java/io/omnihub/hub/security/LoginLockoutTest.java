package io.omnihub.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnihub.hub.HubApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Wrong passwords and guessed tokens, as a brute-force script sends them: past a few failures the
 * user name or the client's address is locked out for a while, the right password included, and
 * each refusal says for how long. A hub of its own, with low limits, behind a "proxy": it trusts
 * {@code X-Forwarded-For}, so each test plays a client of its own address.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LoginLockoutTest {

    static final String ADMIN_PASSWORD = "lockout-admin-password";
    static final String ALICE_PASSWORD = "alice-password-2026";
    static final Duration LOCKOUT = Duration.ofSeconds(3);
    static final Path WORK;

    static {
        try {
            Files.createDirectories(Path.of("target"));
            WORK = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "lockout-hub-");
            Files.createDirectories(WORK.resolve("plugins"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", () -> WORK.resolve("data").toString());
        registry.add("hub.plugins.dir", () -> WORK.resolve("plugins").toString());
        registry.add("hub.automation.dir", () -> WORK.resolve("automation").toString());
        registry.add("hub.security.admin-password", () -> ADMIN_PASSWORD);
        registry.add("hub.security.users.alice.password", () -> ALICE_PASSWORD);
        registry.add("hub.security.users.alice.role", () -> "viewer");
        registry.add("hub.security.login.max-failures-per-user", () -> "3");
        registry.add("hub.security.login.max-failures-per-address", () -> "8");
        registry.add("hub.security.login.failure-window", () -> "1m");
        registry.add("hub.security.login.lockout", () -> LOCKOUT.toSeconds() + "s");
        registry.add("server.forward-headers-strategy", () -> "framework");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @AfterEach
    void waitUntilAliceMayLogInAgain() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> basic("alice", ALICE_PASSWORD, "198.51.100.99").statusCode() == 200);
    }

    @Test
    void aUserWithTooManyWrongPasswordsIsLockedOutRightPasswordIncludedUntilTheLockoutEnds() {
        for (int i = 0; i < 3; i++) {
            assertThat(basic("alice", "guess-" + i, "203.0.113.1").statusCode()).isEqualTo(401);
        }

        // From anywhere: the lock is on the name.
        HttpResponse<String> locked = basic("alice", ALICE_PASSWORD, "203.0.113.2");

        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(locked.body()).contains("too many failed logins");
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, LOCKOUT.toSeconds());
        // Others, from the same address, are not locked out by alice's lock.
        assertThat(basic("admin", ADMIN_PASSWORD, "203.0.113.1").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> basic("alice", ALICE_PASSWORD, "203.0.113.1").statusCode() == 200);
    }

    @Test
    void anAddressGuessingManyUserNamesIsLockedOutForEveryName() {
        for (int i = 0; i < 8; i++) {
            assertThat(basic("user-" + i, "password-" + i, "203.0.113.3").statusCode()).isEqualTo(401);
        }

        assertThat(basic("admin", ADMIN_PASSWORD, "203.0.113.3").statusCode()).isEqualTo(429);
        assertThat(basic("admin", ADMIN_PASSWORD, "203.0.113.4").statusCode()).isEqualTo(200);
    }

    @Test
    void guessingApiTokensLocksTheAddressOutAsGuessingPasswordsDoes() throws Exception {
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> guess = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/board"))
                    .header("X-Forwarded-For", "203.0.113.5")
                    .header("Authorization", "Bearer ohk_guess" + i + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(guess.statusCode()).isEqualTo(401);
        }

        assertThat(basic("admin", ADMIN_PASSWORD, "203.0.113.5").statusCode()).isEqualTo(429);
    }

    @Test
    void theLoginFormTellsALockedOutUserForHowLong() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(formLogin("alice", "guess-" + i).headers().firstValue("Location").orElse("")).endsWith("/login?error");
        }

        HttpResponse<String> locked = formLogin("alice", ALICE_PASSWORD);

        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        assertThat(locked.body()).contains("Too many failed logins", "more seconds");
    }

    private HttpResponse<String> formLogin(String user, String password) throws IOException, InterruptedException {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        String page = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).isTrue();
        return browser.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("X-Forwarded-For", "203.0.113.6")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                        + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> basic(String user, String password, String clientAddress) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/board"))
                    .header("X-Forwarded-For", clientAddress)
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
