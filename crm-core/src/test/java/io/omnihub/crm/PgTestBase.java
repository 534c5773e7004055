package io.omnihub.crm;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One embedded PostgreSQL per test class, migrated once, truncated before each test. */
abstract class PgTestBase {
    static EmbeddedPostgres pg;
    static DataSource ds;

    TickingClock clock;
    CrmCore core;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.start();
        // as the runtime may configure it: the driver folds batched inserts into multi-row statements
        ds = pg.getPostgresDatabase(Map.of("reWriteBatchedInserts", "true"));
        CrmSchema.migrate(ds);
        CrmSchema.migrate(ds); // idempotent
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void truncate() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate crm_customer, crm_identity, crm_identity_unlinked, crm_customer_alias, crm_merge_audit, "
                    + "crm_merge_block, crm_timeline, crm_order, crm_tag, crm_score, crm_processed_event");
        }
        clock = new TickingClock(Instant.parse("2025-01-01T00:00:00Z"));
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

    /** Advances one second on every reading, so profiles created in later batches are younger. */
    static final class TickingClock extends Clock {
        private final AtomicLong seconds;

        TickingClock(Instant start) {
            this.seconds = new AtomicLong(start.getEpochSecond());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.getAndIncrement());
        }
    }

    static Map<String, Object> summary(CustomerView v, String eventId) {
        return v.timeline().stream().filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow().summary();
    }
}
