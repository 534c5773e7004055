package io.omnihub.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 17 (zonky's embedded binaries) for a test class: started once, migrated by the
 * caller, emptied between tests with {@link #truncateAll()}. Typical use:
 *
 * <pre>
 * static final PostgresFixture PG = PostgresFixture.start();          // in a @BeforeAll
 * CrmSchema.migrate(PG.dataSource());
 * PG.truncateAll();                                                   // in a @BeforeEach
 * PG.close();                                                         // in an @AfterAll
 * </pre>
 *
 * <p>The data source folds batched inserts into multi-row statements ({@code reWriteBatchedInserts}),
 * as the hub configures its pool.
 */
public final class PostgresFixture implements AutoCloseable {

    private final EmbeddedPostgres pg;
    private final DataSource ds;

    private PostgresFixture(EmbeddedPostgres pg) {
        this.pg = pg;
        this.ds = pg.getPostgresDatabase(Map.of("reWriteBatchedInserts", "true"));
    }

    /** Starts a new server on a free port. */
    public static PostgresFixture start() {
        try {
            return new PostgresFixture(EmbeddedPostgres.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    public DataSource dataSource() {
        return ds;
    }

    /** A JDBC URL of the database, for a hub or a pool of its own. */
    public String jdbcUrl() {
        return pg.getJdbcUrl("postgres", "postgres");
    }

    /**
     * Empties every table of the public schema except migration histories (names ending in
     * {@code schema_history}), so no test needs a list of tables that goes stale when a migration
     * adds one.
     */
    public void truncateAll() {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select quote_ident(tablename) from pg_tables where schemaname = 'public' "
                    + "and tablename not like '%schema_history' order by tablename")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (!tables.isEmpty()) {
                s.execute("truncate " + String.join(", ", tables) + " restart identity cascade");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the test database: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
