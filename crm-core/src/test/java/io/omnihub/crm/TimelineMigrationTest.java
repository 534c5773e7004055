package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.testsupport.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration V16 on a timeline that has entries, as an installation upgrading has: they stay where
 * they are, with their ids and indexes, except those recorded after the migration's time (a clock
 * ahead of the database's), which move to their month; new entries get ids never handed out before.
 */
class TimelineMigrationTest {

    static PostgresFixture pg;
    static DataSource ds;

    @BeforeAll
    static void migrateAPopulatedTimeline() throws SQLException {
        pg = PostgresFixture.start();
        ds = pg.dataSource();
        flyway("15").migrate();
        execute("""
                insert into crm_timeline (customer_id, event_id, type, time, source, recorded_at)
                select gen_random_uuid(), 'old-' || g, 'message.received', now() - g * interval '1 day', 'wechat',
                       now() - g * interval '1 day'
                  from generate_series(1, 40) g""");
        execute("""
                insert into crm_timeline (customer_id, event_id, type, time, source, recorded_at)
                values (gen_random_uuid(), 'from-a-fast-clock', 'message.received', now() + interval '3 months', 'wechat',
                        now() + interval '3 months')""");
        // The highest id handed out so far (42) belongs to an entry since erased.
        execute("""
                insert into crm_timeline (customer_id, event_id, type, time, source, recorded_at)
                values (gen_random_uuid(), 'erased', 'message.received', now(), 'wechat', now())""");
        execute("delete from crm_timeline where event_id = 'erased'");
        flyway(null).migrate();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void theEntriesStayWithTheirIdsAndTheOneRecordedAheadMovesToTheDefaultPartition() throws SQLException {
        assertThat(strings("select count(*) || ' from ' || min(id) || ' to ' || max(id) from crm_timeline_earlier"))
                .containsExactly("40 from 1 to 40");
        assertThat(strings("select event_id || ' ' || id from crm_timeline_default")).containsExactly("from-a-fast-clock 41");
    }

    @Test
    void aNewEntryGetsAnIdAboveEveryIdHandedOutBefore() throws SQLException {
        execute("insert into crm_timeline (customer_id, event_id, type, time, source, recorded_at) "
                + "values (gen_random_uuid(), 'new', 'message.received', now(), 'wechat', now())");

        long id = Long.parseLong(strings("select id from crm_timeline where event_id = 'new'").get(0));
        assertThat(id).isGreaterThan(42);
        assertThat(strings("select tableoid::regclass::text from crm_timeline where event_id = 'new'"))
                .containsExactly(strings("select to_char(now() at time zone 'UTC', '\"crm_timeline_\"YYYY\"_\"MM')").get(0));
    }

    @Test
    void theEarlierEntriesKeepTheirIndexesAndThePartitionedTableHasStatistics() throws SQLException {
        assertThat(strings("select indexrelid::regclass::text from pg_index where indrelid = 'crm_timeline_earlier'::regclass order by 1"))
                .containsExactly("crm_timeline_earlier_customer_idx", "crm_timeline_earlier_detail_kept_idx", "crm_timeline_earlier_pkey");
        assertThat(Long.parseLong(strings("select count(*) from pg_stats where tablename = 'crm_timeline' and inherited").get(0))).isPositive();
    }

    private static Flyway flyway(String target) {
        var config = Flyway.configure().dataSource(ds).locations(CrmSchema.LOCATION).table(CrmSchema.HISTORY_TABLE);
        return (target == null ? config : config.target(target)).load();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
