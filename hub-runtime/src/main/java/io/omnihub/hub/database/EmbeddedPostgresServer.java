package io.omnihub.hub.database;

import io.omnihub.hub.logging.SecretValues;
import io.omnihub.hub.security.OwnerOnlyFile;
import io.omnihub.hub.security.RandomPassword;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server of a hub run without {@code spring.datasource.url}: real PostgreSQL
 * binaries (zonky's Maven artifact) serving a persistent data directory on a localhost port.
 *
 * <p>It listens on localhost only and lets nobody in without the password of its superuser
 * ({@code scram-sha-256} for every connection, the Unix socket included): a random password,
 * generated when the cluster is created and kept in an owner-only file next to it,
 * {@code <data dir>/postgres.password}. A cluster created by an earlier hub that trusted every local
 * connection gets its password at the next start.
 *
 * <p>The server is a child process that survives a hard-killed JVM; {@link #start} finds such a
 * leftover on its directory, stops it and starts cleanly, with nothing lost (see {@link StalePostmaster}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    // zonky's own lock file inside the data directory; a live hub holds it for as long as it runs.
    private static final String LOCK_FILE = "epg-lock";

    private static final String SUPERUSER = "postgres";

    /** Server settings the hub decides, which {@code hub.embedded-database.settings} cannot change. */
    static final Set<String> OWN_SETTINGS = Set.of("fsync", "synchronous_commit", "full_page_writes", "listen_addresses");

    /**
     * The {@code shared_buffers} the server gets unless {@code hub.embedded-database.settings} says:
     * a sixteenth of the machine's memory, at least PostgreSQL's default of 128 MB and at most 1 GB.
     * PostgreSQL touches its buffers only as it fills them, so a small database costs no more. On a
     * graph of ten million identifiers, 1 GB applied about 30 % more events per second than 128 MB,
     * and more than 512 MB, 2 GB or 4 GB (docs/benchmarks.md, "Identity at ten million identifiers").
     */
    static String defaultSharedBuffers() {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        long megabytes = Math.max(128, Math.min(1024, machine / 16 / (1024 * 1024)));
        return megabytes + "MB";
    }

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, String password) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.password = password;
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
        return start(dataDir, port, startupTimeout, staleServerStopTimeout, Map.of());
    }

    /**
     * As {@link #start(Path, int, Duration, Duration)}, with further server settings ({@code -c
     * name=value}), e.g. {@code shared_buffers}. A dash in a name stands for an underscore
     * ({@code shared-buffers}), as Spring's binding keeps dashes in a map's keys and drops underscores.
     *
     * @throws IllegalArgumentException when {@code settings} names one of {@link #OWN_SETTINGS}
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, Duration startupTimeout, Duration staleServerStopTimeout,
                                               Map<String, String> settings) {
        Map<String, String> server = new LinkedHashMap<>();
        settings.forEach((name, value) -> server.put(name.toLowerCase(Locale.ROOT).replace('-', '_'), value));
        server.putIfAbsent("shared_buffers", defaultSharedBuffers());
        List<String> refused = server.keySet().stream().filter(OWN_SETTINGS::contains).sorted().toList();
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("hub.embedded-database.settings cannot set " + String.join(", ", refused)
                    + ": the hub sets them itself (durable commits, a server reached from this machine only)");
        }
        try {
            Path directory = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(directory);
            ensureNoLiveOwner(directory);
            StalePostmaster.stopIfRunning(directory, staleServerStopTimeout);
            Path serverLog = directory.resolveSibling(directory.getFileName() + ".log");
            OwnerOnlyFile passwordFile = new OwnerOnlyFile(directory.resolveSibling(directory.getFileName() + ".password"));
            boolean created = Files.exists(directory.resolve("postgresql.conf"));
            boolean trusting = created && trustsConnections(directory);
            if (created && !trusting && !passwordFile.exists()) {
                throw new IllegalStateException(passwordFile.path() + " is missing, and the database in " + directory
                        + " needs the password it holds: restore the file from the backup of the data folder");
            }
            String password = passwordFile.readOrCreate(EmbeddedPostgresServer::newPassword).value();
            SecretValues.register(List.of(password));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Spring closes the server after everything that uses it; a JVM hook of its own
                    // would stop it while the context is still shutting down.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(startupTimeout)
                    // zonky's test-oriented defaults are off (it starts the server with -F; a -c
                    // option after it wins): a committed event must survive a crash of the machine too.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("full_page_writes", "on")
                    // zonky's own readiness check logs in as the superuser.
                    .setConnectConfig("password", password)
                    // The server outlives a killed JVM; a pipe to it would break, a file does not.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()));
            server.forEach(builder::setServerConfig);
            if (!created) {
                // initdb options (zonky passes these as --key=value after its own "-A trust", which they
                // override): the superuser gets the password, and every connection must give it.
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.path().toString());
            }
            EmbeddedPostgres postgres = builder.start();
            if (trusting) {
                requirePassword(postgres, directory, password);
            }
            log.info("Embedded PostgreSQL serving {} on localhost:{} (password in {})", directory, postgres.getPort(), passwordFile.path());
            return new EmbeddedPostgresServer(postgres, directory, password);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL on " + dataDir, e);
        }
    }

    /** Whether the cluster's {@code pg_hba.conf} lets any connection in without a password (made by an earlier hub). */
    private static boolean trustsConnections(Path directory) throws IOException {
        Path hba = directory.resolve("pg_hba.conf");
        return Files.isRegularFile(hba) && Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .anyMatch(line -> line.matches(".*\\s+trust(\\s.*)?$"));
    }

    /** Gives the superuser of a trusting cluster its password and makes every connection give it. */
    private static void requirePassword(EmbeddedPostgres postgres, Path directory, String password) throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // A RandomPassword holds letters and digits only, so it needs no quoting beyond the quotes.
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            Path hba = directory.resolve("pg_hba.conf");
            List<String> lines = Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
                    .map(line -> line.strip().startsWith("#") ? line : line.replaceAll("\\btrust\\b", "scram-sha-256"))
                    .toList();
            Files.write(hba, lines, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
            log.warn("Embedded PostgreSQL in {} trusted every local connection: it requires a password from now on", directory);
        } catch (SQLException e) {
            throw new IOException("could not give the embedded PostgreSQL's superuser a password", e);
        }
    }

    private static String newPassword() {
        // About 187 bits, letters and digits only (inlined in ALTER ROLE without quoting problems).
        return RandomPassword.generate(32);
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

    /** JDBC URL of the {@code postgres} database (log in as {@link #username()} with {@link #password()}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** The superuser the cluster was created with. */
    public String username() {
        return SUPERUSER;
    }

    /** The superuser's password, as kept in {@code postgres.password} next to the cluster. */
    public String password() {
        return password;
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
