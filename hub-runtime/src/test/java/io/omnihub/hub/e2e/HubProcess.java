package io.omnihub.hub.e2e;

import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
    private final List<String> command = new ArrayList<>();
    private Process process;

    public HubProcess(Map<String, String> properties, Path logFile) {
        this("io.omnihub.hub.HubApplication", properties, logFile);
    }

    /** A hub started by {@code mainClass} (from the test class path), e.g. one that reads a shifted clock. */
    HubProcess(String mainClass, Map<String, String> properties, Path logFile) {
        this.port = FreePort.pick();
        this.logFile = logFile;
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.add("--server.port=" + port);
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
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
        List<String> run = new ArrayList<>(command);
        run.addAll(List.of(overrides));
        try {
            process = new ProcessBuilder(run)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operating system's id of the hub process. */
    long pid() {
        return process.pid();
    }

    /** Waits until the launched hub reports UP on {@code /actuator/health}. */
    void awaitUp(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("hub exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleepBriefly();
        }
        kill();
        throw new IllegalStateException("hub did not report UP within " + timeout + "; see " + logFile);
    }

    /** SIGKILL: no shutdown hooks, no flushing, the embedded PostgreSQL left running. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A graceful stop (SIGTERM), as an operator's restart would do. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
