package io.omnihub.hub.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's channel simulator ({@code demo/target/omnihub-demo.jar}) as a child process: its own
 * JVM, so WireMock and the simulated channels never share the hub's class path. It says where it
 * listens in its first line; every later line is what happened in the simulated world, copied to
 * the hub's log under {@code demo.channels}. Closing its input stops it, so it also ends when the
 * hub dies without closing it.
 */
final class ChannelSimulatorProcess implements AutoCloseable {

    static final String READY = "omnihub-demo-channels ready ";

    private static final Logger log = LoggerFactory.getLogger("demo.channels");

    private final Process process;
    private final Writer commands;
    private final String readyJson;

    private ChannelSimulatorProcess(Process process, String readyJson) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.readyJson = readyJson;
    }

    /**
     * Starts the simulator from {@code jar} and waits until it listens.
     *
     * @throws DemoRefusedException when the JAR is missing or the simulator does not start in time
     */
    static ChannelSimulatorProcess start(Path jar, Duration timeout) {
        if (!Files.isRegularFile(jar)) {
            throw new DemoRefusedException("the demo's channel simulator is not at " + jar.toAbsolutePath().normalize(),
                    "Build it with ./mvnw -B -DskipTests package from the repository's root and start the hub from there, "
                            + "or set hub.demo.simulator-jar to where omnihub-demo.jar is.");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process;
        try {
            process = new ProcessBuilder(List.of(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dfile.encoding=UTF-8", "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo's channel simulator " + jar, e);
        }
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> copyOutput(process, ready), "demo-channels-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChannelSimulatorProcess(process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new DemoRefusedException("the demo's channel simulator did not start within " + timeout.toSeconds() + " s",
                    "See its output in the log (logger demo.channels); hub.demo.start-timeout sets the wait.");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the demo's channel simulator started", e);
        }
    }

    private static void copyOutput(Process process, CompletableFuture<String> ready) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!ready.isDone() && line.startsWith(READY)) {
                    ready.complete(line.substring(READY.length()));
                } else {
                    log.info(line);
                }
            }
        } catch (IOException e) {
            log.debug("the demo's channel simulator's output ended: {}", e.getMessage());
        }
        ready.completeExceptionally(new IllegalStateException("the simulator ended before it listened"));
    }

    /** What the simulator said once it listened: its url, its request journal and the instances against it. */
    String readyJson() {
        return readyJson;
    }

    /** Starts the brand's day against the hub at {@code hubUrl}, as {@code user}. */
    synchronized void play(String hubUrl, String user, String password, Duration dayLength) {
        try {
            commands.write("play " + hubUrl + " " + user + " " + password + " " + dayLength.toSeconds() + "\n");
            commands.flush();
        } catch (IOException e) {
            log.warn("the demo's channel simulator did not take the command to play: {}", e.getMessage());
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the simulator: its input closes, and it is killed if it is still there after five seconds. */
    @Override
    public synchronized void close() {
        try {
            commands.close();
        } catch (IOException e) {
            // it is gone already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
