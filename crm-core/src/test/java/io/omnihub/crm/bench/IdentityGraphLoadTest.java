package io.omnihub.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.BatchResult;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CrmSchema;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.crm.bench.SyntheticCustomers.Kind;
import io.omnihub.testsupport.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The identity-scale benchmark's bulk load, on a graph of 10,000 identifiers. */
class IdentityGraphLoadTest {

    static PostgresFixture pg;
    static DataSource ds;
    static List<String> keysBefore;
    /** Taken right after the load: applying events later makes the timeline's partition of the next month. */
    static List<String> keysAfter;
    static IdentityGraphLoad.Loaded loaded;

    @BeforeAll
    static void load() throws SQLException {
        pg = PostgresFixture.start();
        ds = pg.dataSource();
        CrmSchema.migrate(ds);
        keysBefore = keysAndIndexes();
        loaded = IdentityGraphLoad.load(ds, 10_000);
        keysAfter = keysAndIndexes();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void loadMakesThreeThousandCustomersWithTwoToFiveIdentifiersEachAndTheirHistory() throws SQLException {
        assertThat(loaded.customers()).isEqualTo(3_000);
        assertThat(loaded.identifiers()).isEqualTo(10_000);
        assertThat(count("select count(*) from crm_customer where status = 'active'")).isEqualTo(3_000);
        assertThat(count("select count(*) from crm_identity")).isEqualTo(10_000);
        assertThat(count("select min(n) from (select count(*) n from crm_identity group by customer_id) x")).isEqualTo(2);
        assertThat(count("select max(n) from (select count(*) n from crm_identity group by customer_id) x")).isEqualTo(5);
        assertThat(count("select count(*) from crm_processed_event")).isEqualTo(10_000);
        assertThat(count("select count(*) from crm_timeline")).isEqualTo(10_000);
        // every phone's peers: the other identifiers of its customer
        assertThat(count("select count(*) from crm_identifier_peer")).isEqualTo(10_000 - 3_000);
        assertThat(count("select count(*) from crm_identity i left join crm_customer c on c.id = i.customer_id where c.id is null")).isZero();
    }

    @Test
    void loadLeavesTheMigrationsKeysAndIndexesInPlace() throws SQLException {
        assertThat(keysAfter).isEqualTo(keysBefore);
    }

    @Test
    void eventsOfLoadedCustomersResolveToTheirLoadedProfilesAndNewOnesGetProfiles() throws SQLException {
        CrmCore core = new CrmCore(ds, IdentityPolicy.defaults(), Clock.systemUTC());
        IdentityScaleBenchmark.EventMix mix = new IdentityScaleBenchmark.EventMix(loaded.customers(), 1, new SplittableRandom(7));
        List<CustomerEvent> events = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (long p = 0; p < 12; p++) {
            long customer = p * 211;
            events.add(mix.onChannel("smoke:" + p, Instant.parse("2026-06-01T00:00:00Z").plusSeconds(p), customer, null));
            owners.add(owner(Kind.PHONE, customer));
        }
        events.add(mix.onChannel("smoke:new", Instant.parse("2026-06-01T00:01:00Z"), loaded.customers() + 5, null));

        BatchResult result = core.apply(events);

        for (int i = 0; i < owners.size(); i++) {
            assertThat(result.outcomes().get(i).status()).isEqualTo(BatchResult.Status.APPLIED);
            assertThat(result.outcomes().get(i).customerId()).isEqualTo(owners.get(i));
        }
        String fresh = result.outcomes().get(owners.size()).customerId();
        assertThat(fresh).isNotIn(owners);
        assertThat(count("select count(*) from crm_customer")).isEqualTo(3_001);
    }

    private static String owner(Kind kind, long customer) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select customer_id::text from crm_identity where type = ? and namespace = ? and value = ?")) {
            ps.setString(1, kind.type);
            ps.setString(2, kind.namespace);
            ps.setString(3, kind.value(customer));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("customer %d has a loaded %s", customer, kind).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static List<String> keysAndIndexes() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select conname || ' ' || pg_get_constraintdef(oid) from pg_constraint where contype in ('p', 'u', 'f') "
                     + "union all select indexdef from pg_indexes where schemaname = 'public' order by 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
