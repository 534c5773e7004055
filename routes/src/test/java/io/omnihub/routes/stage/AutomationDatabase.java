package io.omnihub.routes.stage;

import io.omnihub.crm.CrmSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A real PostgreSQL with the CRM schema for the dispatch stage's tests, emptied before each test. */
abstract class AutomationDatabase {

    static EmbeddedPostgres pg;
    static DataSource ds;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.start();
        ds = pg.getPostgresDatabase();
        CrmSchema.migrate(ds);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    /** Removes every customer, event, action, enrollment and timer a previous test left. */
    static void emptyTables() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate crm_customer cascade");
            s.execute("truncate crm_timeline, crm_processed_event, crm_action, crm_enrollment, crm_timer");
        }
    }
}
