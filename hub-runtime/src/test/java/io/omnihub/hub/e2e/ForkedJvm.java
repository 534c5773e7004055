package io.omnihub.hub.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A main class from the test class path in a JVM of its own, its output appended to a log file, so
 * a test can kill it with SIGKILL as a crash or the OOM killer would. {@code name} says what runs
 * (the hub, Artemis) in the errors it raises.
 */
final class ForkedJvm {

    private final String name;
    private final Path logFile;
    private final Process process;

    private ForkedJvm(String name, Path logFile, Process process) {
        this.name = name;
        this.logFile = logFile;
        this.process = process;
    }

    /** Starts {@code mainClass} with {@code maxHeap} (e.g. {@code 512m}) and {@code arguments}, and returns at once. */
    static ForkedJvm start(String name, String maxHeap, String mainClass, List<String> arguments, Path logFile) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        try {
            return new ForkedJvm(name, logFile, new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operating system's id of the process. */
    long pid() {
        return process.pid();
    }

    /**
     * Asks {@code ready} every {@code interval} until it says yes (true) or {@code timeout} passes
     * (false); fails at once, naming the log, when the process exits meanwhile.
     */
    boolean awaitReady(Duration timeout, Duration interval, BooleanSupplier ready) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logFile);
            }
            if (ready.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return false;
    }

    /** SIGKILL: no shutdown hooks, no flushing; returns once the process is gone. */
    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM, as an operator's restart would send; SIGKILL when the process has not ended within {@code grace}. */
    void stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
