package io.omnihub.hub.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

/**
 * Run in a child JVM by {@link EmbeddedPostgresRecoveryTest}: starts the embedded PostgreSQL on a
 * data folder, commits a row, says READY and waits to be killed with SIGKILL, leaving its server behind.
 */
public final class DatabaseOfAKilledHub {

    private DatabaseOfAKilledHub() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0, Duration.ofSeconds(60), Duration.ofSeconds(20));
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("create table survivors (name text not null)");
            statement.execute("insert into survivors values ('committed before the crash')");
        }
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
