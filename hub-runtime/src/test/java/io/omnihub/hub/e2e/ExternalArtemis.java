package io.omnihub.hub.e2e;

import io.omnihub.hub.broker.StandaloneArtemis;
import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    private ForkedJvm jvm;

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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jvm = ForkedJvm.start("Artemis", "256m", StandaloneArtemis.class.getName(),
                List.of(Integer.toString(port), dataDir.toString()), logFile);
        boolean accepting = jvm.awaitReady(Duration.ofMinutes(2), Duration.ofMillis(200), () -> {
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url());
                 var connection = factory.createConnection()) {
                return true;
            } catch (Exception notYet) {
                return false;
            }
        });
        if (!accepting) {
            throw new IllegalStateException("Artemis did not accept connections within 2 minutes; see " + logFile);
        }
    }

    /** SIGKILL: no shutdown, the journal left as a crash leaves it. */
    void kill() {
        if (jvm != null) {
            jvm.kill();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
