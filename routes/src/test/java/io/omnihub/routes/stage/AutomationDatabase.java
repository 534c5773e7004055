package io.omnihub.routes.stage;

import io.omnihub.crm.CrmSchema;
import io.omnihub.testsupport.PostgresFixture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A real PostgreSQL with the CRM schema for the dispatch stage's tests, emptied before each test. */
abstract class AutomationDatabase {

    static PostgresFixture pg;
    static DataSource ds;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresFixture.start();
        ds = pg.dataSource();
        CrmSchema.migrate(ds);
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    /** Removes every customer, event, action, enrollment and timer a previous test left. */
    static void emptyTables() {
        pg.truncateAll();
    }
}
