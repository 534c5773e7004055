package io.omnihub.crm;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import io.omnihub.testsupport.PostgresFixture;
import io.omnihub.testsupport.TestClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One embedded PostgreSQL per test class, migrated once, emptied before each test. */
abstract class PgTestBase {
    static PostgresFixture pg;
    static DataSource ds;

    /** Moves on a second at every reading, so profiles created in later batches are younger. */
    TestClock clock;
    CrmCore core;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresFixture.start();
        ds = pg.dataSource();
        CrmSchema.migrate(ds);
        CrmSchema.migrate(ds); // idempotent
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void truncate() {
        pg.truncateAll();
        clock = TestClock.ticking(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(1));
        core = new CrmCore(ds, policy(), clock);
    }

    IdentityPolicy policy() {
        return IdentityPolicy.defaults();
    }

    static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");

    static Instant t(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    static CustomerEvent.Builder event(String id, String type, String connector, Instant time, Identity... ids) {
        CustomerEvent.Builder b = CustomerEvent.builder(id, type).source(connector, "main").time(time).receivedAt(time);
        for (Identity i : ids) {
            b.identity(i);
        }
        return b;
    }

    static CustomerEvent msg(String id, String connector, Instant time, String text, Identity... ids) {
        return event(id, "message.received", connector, time, ids).message(new Message("text", text)).build();
    }

    static CustomerEvent order(String id, String type, String connector, Instant time, Order o, Identity... ids) {
        return event(id, type, connector, time, ids).order(o).build();
    }

    static CustomerEvent consent(String id, String connector, Instant time, Boolean crossChannel, Identity... ids) {
        return event(id, "consent.changed", connector, time, ids).consent(new Consent(crossChannel, null)).build();
    }

    static Identity openid(String v) {
        return Identity.of("wechat_openid", v, "wxapp1");
    }

    static Identity unionid(String v) {
        return Identity.of("wechat_unionid", v);
    }

    static Identity phone(String v) {
        return Identity.phone(v);
    }

    static Identity card(String v) {
        return Identity.of("member_card", v);
    }

    static Identity ouid(String v) {
        return Identity.of("tmall_ouid", v, "seller1");
    }

    BatchResult apply(CustomerEvent... events) {
        return core.apply(List.of(events));
    }

    CustomerView view(Identity id) {
        return core.findByIdentity(id.type(), id.value(), id.namespace()).orElseThrow(() -> new AssertionError("no customer for " + id));
    }

    long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long activeCustomers() throws SQLException {
        return count("select count(*) from crm_customer where status = 'active'");
    }

    static Map<String, Object> summary(CustomerView v, String eventId) {
        return v.timeline().stream().filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow().summary();
    }
}
