package io.omnihub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.hub.security.AdminCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Predicate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One real hub shared by the runtime's integration tests (one Spring context, so it starts once):
 * embedded PostgreSQL and Artemis in a fresh data folder, the real WeChat plugin JAR in a fresh
 * plugins folder, a random port, and two configured WeChat instances, one valid and one not.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // A log file as well as the console, as a hub run as a service keeps one (set before logging starts).
        properties = "logging.file.name=target/running-hub.log")
// Tests switch metrics export off by default; the Prometheus endpoint is part of what is tested.
@AutoConfigureMetrics
public abstract class RunningHub {

    /** Everything written to the console since the tests began, to read what the hub printed. */
    protected static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();

    protected static final Path WORK_DIR;
    protected static final Path PLUGINS_DIR;
    protected static final String PLUGIN_FILE = "wechat-plugin.jar";
    /** The hub's log file. */
    protected static final Path LOG_FILE;
    /** The token of instance wechat/brand-oa, a secret that must never be shown. */
    protected static final String BRAND_OA_TOKEN = "brandOaToken-s3cret-4711";

    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static {
        // Logback's console appender writes through System.out at each event, so a tee installed
        // before the hub starts sees its startup output.
        PrintStream original = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (CONSOLE) {
                    CONSOLE.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (CONSOLE) {
                    CONSOLE.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8));
        try {
            Files.createDirectories(Path.of("target"));
            WORK_DIR = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "running-hub-");
            PLUGINS_DIR = Files.createDirectories(WORK_DIR.resolve("plugins"));
            LOG_FILE = Path.of("target", "running-hub.log").toAbsolutePath();
            Files.deleteIfExists(LOG_FILE);
            Files.copy(WeChatPluginJar.path(), PLUGINS_DIR.resolve(PLUGIN_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A user with role viewer: reads, changes nothing. */
    protected static final String VIEWER = "watcher";
    protected static final String VIEWER_PASSWORD = "watcher-pass-2026";

    /** A user with role operator, not granted the reveal permission. */
    protected static final String OPERATOR = "shift-lead";
    protected static final String OPERATOR_PASSWORD = "shift-lead-pass-2026";
    /** An operator granted the reveal permission by name. */
    protected static final String REVEALER = "privacy-officer";
    protected static final String REVEALER_PASSWORD = "privacy-officer-pass-2026";

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("hub.security.users." + VIEWER + ".password", () -> VIEWER_PASSWORD);
        registry.add("hub.security.users." + VIEWER + ".role", () -> "viewer");
        registry.add("hub.security.users." + OPERATOR + ".password", () -> OPERATOR_PASSWORD);
        registry.add("hub.security.users." + OPERATOR + ".role", () -> "operator");
        registry.add("hub.security.users." + REVEALER + ".password", () -> REVEALER_PASSWORD);
        registry.add("hub.security.users." + REVEALER + ".role", () -> "operator");
        registry.add("hub.security.users." + REVEALER + ".reveal", () -> "true");
        registry.add("hub.data-dir", () -> WORK_DIR.resolve("data").toString());
        registry.add("hub.plugins.dir", PLUGINS_DIR::toString);
        registry.add("hub.plugins.scan-interval", () -> "200ms");
        registry.add("hub.connectors.wechat.brand-oa.kind", () -> "mp");
        registry.add("hub.connectors.wechat.brand-oa.app-id", () -> "wx0123456789abcdef");
        registry.add("hub.connectors.wechat.brand-oa.token", () -> BRAND_OA_TOKEN);
        // Missing its token, with an EncodingAESKey that is not 43 characters.
        registry.add("hub.connectors.wechat.broken-oa.kind", () -> "mp");
        registry.add("hub.connectors.wechat.broken-oa.app-id", () -> "wx00000000000000ff");
        registry.add("hub.connectors.wechat.broken-oa.encoding-aes-key", () -> "too-short");
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected AdminCredentials admin;

    /** A GET as the admin. */
    protected Answer getAsAdmin(String path) {
        return send(path, admin.username(), admin.password());
    }

    /** A GET without credentials. */
    protected Answer getAnonymously(String path) {
        return send(path, null, null);
    }

    /** A GET as a browser would send it, without credentials. */
    protected Answer getAnonymouslyAsBrowser(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/html,application/xhtml+xml")
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Location").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST without body as {@code user}. */
    protected Answer post(String path, String user, String password) {
        return exchange("POST", path, user, password);
    }

    protected Answer send(String path, String user, String password) {
        return exchange("GET", path, user, password);
    }

    private Answer exchange(String method, String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json, */*;q=0.5");
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls {@code path} as the admin until the JSON answer satisfies {@code condition}; fails with
     * the last answer after {@code timeout}.
     */
    protected JsonNode awaitJson(String path, Duration timeout, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(timeout);
        Answer last = null;
        while (Instant.now().isBefore(deadline)) {
            last = getAsAdmin(path);
            if (last.status() == 200 && condition.test(last.json())) {
                return last.json();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no matching answer from " + path + " within " + timeout + "; last: " + last);
    }

    protected static String console() {
        synchronized (CONSOLE) {
            return CONSOLE.toString(StandardCharsets.UTF_8);
        }
    }

    /** An HTTP answer. */
    public record Answer(int status, String contentType, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }
}
