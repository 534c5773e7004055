package io.omnihub.hub.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §6: the embedded PostgreSQL is a child process that outlives a hard-killed JVM; the next
 * start must find it, stop it and come up cleanly on the same data, with nothing lost.
 */
class EmbeddedPostgresRecoveryTest {

    @Test
    void hubKilledWithSigkillLeavesItsServerRunningAndTheNextStartStopsItAndKeepsTheData() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "killed-hub-").resolve("postgres");
        ProcessHandle stray = killHubLeavingItsServer(dataDir);

        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(20))) {
            assertThat(stray.isAlive()).isFalse();
            assertThat(survivors(restarted)).containsExactly("committed before the crash");
        } finally {
            // Should the test fail half-way, leave no server behind.
            Optional.of(stray).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).isFalse();
    }

    @Test
    void strayServerThatWillNotStopBecauseAClientHoldsOnIsKilledAndRecoversFromItsLog() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "killed-hub-").resolve("postgres");
        ProcessHandle stray = killHubLeavingItsServer(dataDir);
        int strayPort = Integer.parseInt(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(3).trim());

        // An operator's psql session left open: a SIGTERM ("smart") shutdown waits for it forever.
        String password = Files.readString(dataDir.resolveSibling("postgres.password")).strip();
        try (Connection lingering = DriverManager.getConnection("jdbc:postgresql://localhost:" + strayPort + "/postgres", "postgres", password);
             EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(dataDir, 0, Duration.ofSeconds(60), Duration.ofSeconds(2))) {
            assertThat(stray.isAlive()).isFalse();
            assertThat(survivors(restarted)).containsExactly("committed before the crash");
        } finally {
            Optional.of(stray).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Runs a hub's database in a child JVM, kills that JVM with SIGKILL and returns the server it left running. */
    private static ProcessHandle killHubLeavingItsServer(Path dataDir) throws Exception {
        Process killedHub = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                DatabaseOfAKilledHub.class.getName(),
                dataDir.toString())
                .redirectErrorStream(true)
                .start();
        List<String> output = new ArrayList<>();
        try {
            awaitReady(killedHub, output, Duration.ofSeconds(90));
        } finally {
            killedHub.destroyForcibly(); // SIGKILL: no shutdown hook, no Spring, nothing runs
            killedHub.waitFor(30, TimeUnit.SECONDS);
        }
        long strayPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle stray = ProcessHandle.of(strayPid).orElseThrow(() -> new AssertionError("the server did not outlive its JVM"));
        assertThat(stray.isAlive()).isTrue();
        assertThat(StalePostmaster.isPostgres(stray)).isTrue();
        return stray;
    }

    private static List<String> survivors(EmbeddedPostgresServer server) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select name from survivors")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static void awaitReady(Process child, List<String> output, Duration timeout) throws Exception {
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("READY")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        boolean isReady;
        try {
            isReady = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            isReady = false;
        }
        if (!isReady) {
            synchronized (output) {
                throw new AssertionError("child hub never became ready:\n" + String.join("\n", output));
            }
        }
    }
}
