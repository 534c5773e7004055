package io.omnihub.hub.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server of a hub run without {@code spring.datasource.url}: real PostgreSQL
 * binaries (zonky's Maven artifact) serving a persistent data directory on a localhost port.
 *
 * <p>The server is a child process that survives a hard-killed JVM; {@link #start} finds such a
 * leftover on its directory, stops it and starts cleanly, with nothing lost (see {@link StalePostmaster}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    // zonky's own lock file inside the data directory; a live hub holds it for as long as it runs.
    private static final String LOCK_FILE = "epg-lock";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts PostgreSQL on {@code dataDir}, creating the cluster on first use and keeping it
     * afterwards.
     *
     * @param dataDir               the cluster's directory, e.g. {@code data/postgres}
     * @param port                  localhost port, 0 for a free one
     * @param startupTimeout        how long to wait for the server to accept connections
     * @param staleServerStopTimeout how long a leftover server gets to stop before it is killed
     * @throws IllegalStateException when another running hub uses the directory
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, Duration startupTimeout, Duration staleServerStopTimeout) {
        try {
            Path directory = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(directory);
            ensureNoLiveOwner(directory);
            StalePostmaster.stopIfRunning(directory, staleServerStopTimeout);
            Path serverLog = directory.resolveSibling(directory.getFileName() + ".log");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Spring closes the server after everything that uses it; a JVM hook of its own
                    // would stop it while the context is still shutting down.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(startupTimeout)
                    // zonky's test-oriented default is off: a committed event must survive a crash.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    // The server outlives a killed JVM; a pipe to it would break, a file does not.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .start();
            log.info("Embedded PostgreSQL serving {} on localhost:{}", directory, postgres.getPort());
            return new EmbeddedPostgresServer(postgres, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL on " + dataDir, e);
        }
    }

    private static void ensureNoLiveOwner(Path directory) throws IOException {
        Path lockFile = directory.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            // Never started here (initdb needs the directory empty, so do not create it).
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException(directory + " is in use by another running hub; give each hub its own hub.data-dir");
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException(directory + " is already in use by this JVM", e);
        }
    }

    /** JDBC URL of the {@code postgres} database as superuser {@code postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** The superuser the cluster was created with (trust authentication on localhost). */
    public String username() {
        return "postgres";
    }

    /** The port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    /** The cluster's directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server with a fast shutdown (a checkpoint; nothing committed is lost). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Could not stop embedded PostgreSQL cleanly: {}", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + dataDir + ", port " + postgres.getPort() + "]";
    }
}
