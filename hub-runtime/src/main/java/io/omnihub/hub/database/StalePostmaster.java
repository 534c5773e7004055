package io.omnihub.hub.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and stops a PostgreSQL server left running on a data directory by a hub that was killed
 * hard ({@code kill -9}, OOM killer, power-cycled container runtime). {@code pg_ctl start} detaches
 * the server from the JVM, so it outlives it and keeps {@code postmaster.pid}; a new hub must stop
 * it before starting its own, or PostgreSQL refuses to start on that directory.
 *
 * <p>Callers must hold the data directory's lock first, so that a server still used by another
 * live hub is never touched.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {
    }

    /**
     * Stops the server recorded in {@code dataDir/postmaster.pid} if it is still running: SIGTERM,
     * then SIGKILL for it and its backends when it has not exited within {@code timeout}.
     *
     * @return whether a running server was found and stopped
     */
    static boolean stopIfRunning(Path dataDir, Duration timeout) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return false;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        Optional<Long> pid = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0));
        if (pid.isEmpty()) {
            log.warn("Ignoring unreadable {}; PostgreSQL will judge it itself", pidFile);
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            // The server died with the machine or was killed; PostgreSQL recovers from its WAL. The
            // file goes, because a dead server that nobody reaped (a container whose init does not
            // reap orphans) still answers kill(pid, 0), and PostgreSQL would take it for a live one.
            log.info("PostgreSQL of a previous run (pid {}) is gone; it will recover on start", pid.get());
            Files.deleteIfExists(pidFile);
            return false;
        }
        if (!isPostgres(process.get())) {
            // The pid was reused by an unrelated process: PostgreSQL would refuse to start because
            // "another postmaster" seems to run. We hold the directory's lock, so the file is stale.
            log.warn("{} names pid {}, which is now {}, not PostgreSQL: removing the stale file",
                    pidFile, pid.get(), process.get().info().command().orElse("an unknown process"));
            Files.deleteIfExists(pidFile);
            return false;
        }
        log.warn("PostgreSQL of a previous hub run (pid {}) still serves {}: stopping it", pid.get(), dataDir);
        stop(process.get(), timeout);
        // A clean stop removes the file; after SIGKILL it stays, naming a process that is gone.
        Files.deleteIfExists(pidFile);
        return true;
    }

    private static void stop(ProcessHandle postmaster, Duration timeout) throws IOException {
        // Taken before the postmaster goes: once it has exited its backends are re-parented and can
        // no longer be found from it, yet they hold the shared memory a new server needs.
        List<ProcessHandle> backends = postmaster.descendants().toList();
        // SIGTERM is PostgreSQL's "smart" shutdown: it waits for sessions to end, and the sessions of
        // the killed hub have ended with its sockets. It writes a checkpoint, so nothing is lost.
        postmaster.destroy();
        if (awaitExit(postmaster, timeout)) {
            awaitExit(backends, timeout);
            log.info("Stale PostgreSQL stopped cleanly");
            return;
        }
        log.warn("Stale PostgreSQL did not stop within {}s: killing it; it will recover from its WAL", timeout.toSeconds());
        postmaster.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(postmaster, timeout) || !awaitExit(backends, timeout)) {
            throw new IOException("could not stop stale PostgreSQL pid " + postmaster.pid() + "; stop it by hand");
        }
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        return processes.stream().allMatch(process -> awaitExit(process, timeout));
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        CompletableFuture<ProcessHandle> exit = process.onExit();
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    static boolean isPostgres(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        Optional<String> command = info.command();
        if (command.isPresent()) {
            String name = Path.of(command.get()).getFileName().toString();
            return name.equals("postgres") || name.equals("postmaster");
        }
        // No access to the executable's path: fall back to its command line.
        return info.commandLine().map(line -> line.contains("postgres")).orElse(false);
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
