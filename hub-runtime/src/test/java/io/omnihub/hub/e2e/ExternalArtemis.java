package io.omnihub.hub.e2e;

import io.omnihub.hub.broker.StandaloneArtemis;
import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * An Artemis broker as its own operating-system process ({@link StandaloneArtemis} from the test
 * class path), for a hub with {@code spring.artemis.mode=native}. {@link #kill()} is SIGKILL, as a
 * crashed or OOM-killed broker; {@link #start()} brings it back on the same port and journal.
 */
final class ExternalArtemis implements AutoCloseable {

    private final int port = FreePort.pick();
    private final Path dataDir;
    private final Path logFile;
    private Process process;

    ExternalArtemis(Path workDir) {
        this.dataDir = workDir.resolve("artemis");
        this.logFile = workDir.resolve("artemis.log");
    }

    String url() {
        return "tcp://localhost:" + port;
    }

    /** Starts the broker and waits until it accepts connections. */
    void start() {
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), StandaloneArtemis.class.getName(),
                    Integer.toString(port), dataDir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Artemis exited with " + process.exitValue() + "; see " + logFile);
            }
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url());
                 var connection = factory.createConnection()) {
                return;
            } catch (Exception notYet) {
                pause();
            }
        }
        throw new IllegalStateException("Artemis did not accept connections within 2 minutes; see " + logFile);
    }

    /** SIGKILL: no shutdown, the journal left as a crash leaves it. */
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
