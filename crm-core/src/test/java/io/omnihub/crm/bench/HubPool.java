package io.omnihub.crm.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The connections the hub gives the CRM core, for the benchmarks: a Hikari pool with the hub's
 * driver settings (application.yml), so a batch reuses a connection and its server-side prepared
 * statements as in the hub, instead of starting a PostgreSQL backend per batch.
 */
final class HubPool {

    private HubPool() {
    }

    static HikariDataSource on(EmbeddedPostgres pg) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        pool.setUsername("postgres");
        pool.setPoolName("bench");
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        return pool;
    }
}
