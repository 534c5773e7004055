package io.omnihub.crm;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The CRM core's tables, migrated by Flyway with their own history table. */
public final class CrmSchema {

    /** Where the migrations live. */
    public static final String LOCATION = "classpath:db/migration/crm";
    /** The Flyway history table, so the runtime can run its own migrations with another one. */
    public static final String HISTORY_TABLE = "crm_schema_history";

    private CrmSchema() {
    }

    /** Migrates the CRM tables in the data source's current schema; safe to call on every start. */
    public static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // the schema may already hold other modules' tables: start our history at 0 there
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
