package io.omnihub.partnerkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The hub as an integrator runs it, with its embedded PostgreSQL and Artemis in a fresh folder, and
 * an HTTP client for its API: the README's run command {@code hub-runtime/target/omnihub/omnihub}
 * (the launcher over the extracted JAR and its class data sharing archive, which must be usable:
 * {@code -Xshare:on}), or {@code java -jar hub-runtime/target/omnihub.jar} where the build lays out
 * no launcher (Windows, {@code -Domnihub.launcher.skip}).
 */
final class HubFromJar implements AutoCloseable {

    static final Path JAR = MavenRun.ROOT.resolve("hub-runtime/target/omnihub.jar");
    static final Path LAUNCHER = MavenRun.ROOT.resolve("hub-runtime/target/omnihub/omnihub");
    static final String ADMIN_PASSWORD = "partner-kit-admin-2026";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port = FreePort.pick();
    private final Path log;
    private final Process process;

    /** Starts the hub with {@code properties} as {@code --key=value} arguments and waits until it is UP. */
    HubFromJar(Path workDir, Map<String, String> properties, Duration timeout) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("no hub at " + JAR + "; build the reactor first (./mvnw install)");
        }
        this.log = workDir.resolve("hub.log");
        String javaHome = System.getProperty("java.home");
        ProcessBuilder start = new ProcessBuilder();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(LAUNCHER)) {
            command.add(LAUNCHER.toString());
            // The build's JDK, whose archive it is; an archive the JVM cannot map fails the start.
            start.environment().put("JAVA_HOME", javaHome);
            start.environment().put("JAVA_OPTS", "-Xmx512m -Xshare:on");
        } else {
            command.addAll(List.of(Path.of(javaHome, "bin", "java").toString(), "-Xmx512m", "-jar", JAR.toString()));
        }
        command.addAll(List.of(
                "--server.port=" + port,
                "--hub.data-dir=" + workDir.resolve("data"),
                "--hub.security.admin-password=" + ADMIN_PASSWORD));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            process = start.command(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Awaitility.await("the hub reports UP on /actuator/health").atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .failFast("the hub exited; see " + log, () -> !process.isAlive())
                    .until(this::healthy);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private boolean healthy() {
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"UP\"");
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer of the API. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** {@code GET path} as the admin. */
    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))).GET());
    }

    /** {@code POST path} as a channel pushes it: no login, the given headers and body. */
    Answer post(String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** Everything the hub printed so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return log;
    }

    /** A graceful stop, as an operator's would be; killed if it takes longer than a minute. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
