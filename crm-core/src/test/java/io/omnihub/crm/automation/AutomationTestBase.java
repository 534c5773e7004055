package io.omnihub.crm.automation;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.BatchResult;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CrmSchema;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.testsupport.PostgresFixture;
import io.omnihub.testsupport.TestClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A real PostgreSQL per test class; the CRM core with automation on a clock the test moves. */
abstract class AutomationTestBase {

    static PostgresFixture pg;
    static DataSource ds;

    /** 10:00 in Shanghai: outside quiet hours. */
    static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
    static final String APP = "wx0123456789abcdef";

    TestClock clock;
    Automation automation;
    CrmCore core;
    int eventSeq;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresFixture.start();
        ds = pg.dataSource();
        CrmSchema.migrate(ds);
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void fresh() {
        pg.truncateAll();
        clock = TestClock.at(T0);
        automation = new Automation(ds, clock, guards());
        core = new CrmCore(ds, IdentityPolicy.defaults(), clock, automation);
    }

    GuardSettings guards() {
        return GuardSettings.defaults();
    }

    /** Puts the definitions of {@code yaml} (one file) in force. */
    void define(String yaml) {
        automation.use(new Definitions.Builder().add(DefinitionParser.parseFile("test.yaml", yaml)).build());
    }

    BatchResult apply(CustomerEvent... events) {
        BatchResult r = core.apply(List.of(events));
        for (BatchResult.Outcome o : r.outcomes()) {
            if (o.status() == BatchResult.Status.REJECTED) {
                throw new AssertionError("rejected: " + o.reason());
            }
        }
        return r;
    }

    String customerOf(BatchResult r) {
        return r.outcomes().get(0).customerId();
    }

    CustomerEvent.Builder event(String type, String openid) {
        return CustomerEvent.builder("test:" + (++eventSeq), type).source("shop", "web").time(clock.instant())
                .receivedAt(clock.instant()).identity(Identity.of("wechat_openid", openid, APP));
    }

    CustomerEvent consenting(String openid) {
        return event("consent.changed", openid).consent(new Consent(null, true)).build();
    }

    CustomerEvent cart(String openid, long totalMinor) {
        return event("cart.updated", openid).order(new Order("cart-" + eventSeq, null, "CNY", totalMinor, List.of())).build();
    }

    CustomerEvent paid(String openid, String orderId, long totalMinor) {
        return event("order.paid", openid).order(new Order(orderId, "PAID", "CNY", totalMinor, List.of())).build();
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    int fireTimers() {
        return automation.timers().fireDueTimers(1000);
    }

    /** The outbox drained into a list, as the dispatcher would receive it. */
    List<PlannedAction> drain() {
        List<PlannedAction> out = new ArrayList<>();
        automation.outbox().drainOutbox(1000, out::addAll);
        return out;
    }

    List<ActionRecord> actions(String customer) {
        return automation.ledger().actions(customer, null, null, 100);
    }

    long count(String sql, Object... params) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
