package io.omnihub.hub.e2e;

import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hub as a separate operating-system process, so a test can kill it with SIGKILL as a crash
 * or an OOM killer would, and start it again on the same data folder.
 */
public final class HubProcess {

    private final int port;
    private final Path logFile;
    private final String mainClass;
    private final List<String> arguments = new ArrayList<>();
    private ForkedJvm jvm;

    public HubProcess(Map<String, String> properties, Path logFile) {
        this("io.omnihub.hub.HubApplication", properties, logFile);
    }

    /** A hub started by {@code mainClass} (from the test class path), e.g. one that reads a shifted clock. */
    HubProcess(String mainClass, Map<String, String> properties, Path logFile) {
        this.port = FreePort.pick();
        this.logFile = logFile;
        this.mainClass = mainClass;
        arguments.add("--server.port=" + port);
        properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Starts the hub, with {@code overrides} as extra {@code --key=value} arguments, and waits until it reports UP. */
    public void start(Duration timeout, String... overrides) {
        launch(overrides);
        awaitUp(timeout);
    }

    /** Starts the hub process and returns at once. */
    void launch(String... overrides) {
        List<String> run = new ArrayList<>(arguments);
        run.addAll(List.of(overrides));
        jvm = ForkedJvm.start("hub", "512m", mainClass, run, logFile);
    }

    /** The operating system's id of the hub process. */
    long pid() {
        return jvm.pid();
    }

    /** Waits until the launched hub reports UP on {@code /actuator/health}. */
    void awaitUp(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        boolean up = jvm.awaitReady(timeout, Duration.ofMillis(250), () -> {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200 && health.body().contains("\"UP\"");
            } catch (IOException e) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        if (!up) {
            kill();
            throw new IllegalStateException("hub did not report UP within " + timeout + "; see " + logFile);
        }
    }

    /** SIGKILL: no shutdown hooks, no flushing, the embedded PostgreSQL left running. */
    public void kill() {
        if (jvm != null) {
            jvm.kill();
        }
    }

    /** A graceful stop (SIGTERM), as an operator's restart would do. */
    public void stop() {
        if (jvm != null) {
            jvm.stop(Duration.ofSeconds(60));
        }
    }
}
