package io.omnihub.hub.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server the hub does not own, as its own processes (zonky's binaries), that a test can
 * make hang (SIGSTOP of every server process, then SIGCONT) or crash (SIGKILL) and start again on the
 * same data folder and port, as an operator's restart would.
 */
final class ExternalPostgres implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Path logFile;
    private final Path pgCtl;

    ExternalPostgres(Path workDir) {
        this.dataDir = workDir.resolve("postgres");
        this.logFile = workDir.resolve("postgres.log");
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("synchronous_commit", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String postgresBinary = ProcessHandle.of(postmasterPid()).flatMap(p -> p.info().command())
                .orElseThrow(() -> new IllegalStateException("cannot find the postgres binary"));
        pgCtl = Path.of(postgresBinary).resolveSibling("pg_ctl");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Every server process stops where it is: connections stay open and nothing answers. */
    void hang() {
        signal("STOP", serverPids());
    }

    /** The hung server carries on. */
    void resume() {
        signal("CONT", serverPids());
    }

    /** SIGKILL of every server process: a crash; the data folder is left as it was. */
    void kill() {
        List<Long> pids = serverPids();
        signal("KILL", pids);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        }
    }

    /** Starts the server again on the same data folder and port; it recovers from its WAL. */
    void restart() {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root; zonky starts it in a user namespace the same way.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", dataDir.toString(), "-l", logFile.toString(), "-w", "-t", "120",
                "-o", "-p " + postgres.getPort() + " -F -c synchronous_commit=on -c timezone=UTC", "start"));
        run(command);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.US_ASCII).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Long> serverPids() {
        long postmaster = postmasterPid();
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(child -> pids.add(child.pid())));
        return pids;
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        run(command);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
