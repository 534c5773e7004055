package io.omnihub.crm.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.BatchResult;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CrmSchema;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.crm.automation.ActionLedger;
import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionParser;
import io.omnihub.crm.automation.Definitions;
import io.omnihub.crm.automation.GuardSettings;
import io.omnihub.crm.automation.PlannedAction;
import io.omnihub.testsupport.PostgresFixture;
import io.omnihub.testsupport.TestClock;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every report over a small hand-designed data set, run through the real core and automation, with
 * each expected figure worked out by hand below. The period is March 2026 (31 days, UTC).
 *
 * <pre>
 * customer  first seen   March events and orders (counted orders in CNY unless noted)
 * A         02-10        A1 tmall 02-15 10 000 (before); winback 03-08: wechat sent 03-08 02:05, sms sent 03-10 02:05;
 *                        A2 tmall 03-10 06:00 20 000; A3 pos 03-18 02:00 10 000; A4 tmall 04-03 (after)
 * B         02-12        nothing in March
 * C = C1+C2 02-20 (C1)   C1 (WeChat) enrolled 03-02, wechat sent 03-02 02:05, sms suppressed (no recipient: no phone);
 *                        C2 (Tmall, new profile) C-1 tmall 03-03 06:00 30 000; merged into one customer 03-05;
 *                        C-2 wechat 03-12 06:00 15 000
 * D         02-25        declined marketing; enrolled 03-06, wechat and sms suppressed (consent);
 *                        D1 tmall 03-08 04:00 40 000; D2 tmall 03-09 5 000, cancelled 03-10 (does not count)
 * E         03-03        enrolled 03-03 03:00, wechat sent 03-03 03:05, sms suppressed (no recipient);
 *                        E1 pos 03-04 04:00 8 000 HKD
 * F         03-20        enrolled 03-20 03:00, wechat sent 03:05, sms sent 03-22 03:05; no order
 * G         04-02        after the period
 * </pre>
 */
class ReportsOnAKnownDataSetTest {

    static final String APP = "wx0123456789abcdef";
    static final ReportPeriod MARCH = new ReportPeriod(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
    static final ReportPeriod FEBRUARY = new ReportPeriod(Instant.parse("2026-02-01T00:00:00Z"), MARCH.from());

    static final String WINBACK = """
            journeys:
              - id: winback
                trigger: { event: cart.updated }
                goal: { event: order.paid, within: 7d }
                steps:
                  - id: wx
                    send:
                      via:
                        - { connector: wechat, instance: oa, kind: wechat.template, recipient: wechat_openid, payload: { template_id: W } }
                  - wait: 2d
                  - id: sms
                    send:
                      via:
                        - { connector: sms, instance: aliyun, kind: sms.template, recipient: phone, payload: { template: S } }
            """;

    static PostgresFixture pg;
    static DataSource ds;
    static TestClock clock;
    static Automation automation;
    static CrmCore core;
    static Reports reports;
    static int seq;

    @BeforeAll
    static void loadTheDataSet() {
        pg = PostgresFixture.start();
        ds = pg.dataSource();
        CrmSchema.migrate(ds);
        clock = TestClock.at(Instant.parse("2026-02-01T00:00:00Z"));
        automation = new Automation(ds, clock, GuardSettings.defaults());
        automation.use(new Definitions.Builder().add(DefinitionParser.parseFile("winback.yaml", WINBACK)).build());
        core = new CrmCore(ds, IdentityPolicy.defaults(), clock, automation);
        reports = new Reports(ds);

        Identity oA = wx("oA");
        Identity oB = wx("oB");
        Identity oC = wx("oC");
        Identity ouC = Identity.of("tmall_ouid", "ouC", "seller1");
        Identity oD = wx("oD");
        Identity oE = wx("oE");
        Identity oF = wx("oF");

        at("2026-02-10T02:00:00Z", "message.received", "wechat", b -> b.identity(oA).identity(Identity.phone("13800000001"))
                .consent(new Consent(null, true)));
        at("2026-02-12T02:00:00Z", "message.received", "wechat", b -> b.identity(oB));
        at("2026-02-15T02:00:00Z", "order.paid", "tmall", b -> b.identity(oA).order(order("A1", 10_000, "CNY")));
        at("2026-02-20T02:00:00Z", "message.received", "wechat", b -> b.identity(oC).consent(new Consent(null, true)));
        at("2026-02-25T02:00:00Z", "message.received", "wechat", b -> b.identity(oD).identity(Identity.phone("13800000004"))
                .consent(new Consent(null, false)));

        at("2026-03-02T02:00:00Z", "cart.updated", "wechat", b -> b.identity(oC));
        sendDue("2026-03-02T02:05:00Z");
        at("2026-03-03T02:00:00Z", "message.received", "wechat", b -> b.identity(oE).consent(new Consent(null, true)));
        at("2026-03-03T03:00:00Z", "cart.updated", "wechat", b -> b.identity(oE));
        sendDue("2026-03-03T03:05:00Z");
        String c2 = at("2026-03-03T06:00:00Z", "order.paid", "tmall", b -> b.identity(ouC).order(order("C-1", 30_000, "CNY")));
        fireTimers("2026-03-04T02:00:00Z"); // C's sms: C1 has no phone
        at("2026-03-04T04:00:00Z", "order.paid", "pos", b -> b.identity(oE).order(order("E1", 8_000, "HKD")));
        at("2026-03-05T02:00:00Z", "profile.updated", "wechat", b -> b.identity(oC).identity(ouC)); // C1 and C2 are one person
        fireTimers("2026-03-05T03:00:00Z"); // E's sms: no phone
        at("2026-03-06T02:00:00Z", "cart.updated", "wechat", b -> b.identity(oD));
        fireTimers("2026-03-08T02:00:00Z"); // D's sms: declined marketing
        at("2026-03-08T02:00:00Z", "cart.updated", "wechat", b -> b.identity(oA));
        sendDue("2026-03-08T02:05:00Z");
        at("2026-03-08T04:00:00Z", "order.paid", "tmall", b -> b.identity(oD).order(order("D1", 40_000, "CNY")));
        at("2026-03-09T02:00:00Z", "order.paid", "tmall", b -> b.identity(oD).order(order("D2", 5_000, "CNY")));
        at("2026-03-10T01:00:00Z", "order.cancelled", "tmall", b -> b.identity(oD).order(order("D2", 5_000, "CNY")));
        fireTimers("2026-03-10T02:00:00Z"); // A's sms
        sendDue("2026-03-10T02:05:00Z");
        at("2026-03-10T06:00:00Z", "order.paid", "tmall", b -> b.identity(oA).order(order("A2", 20_000, "CNY")));
        at("2026-03-12T06:00:00Z", "order.paid", "wechat", b -> b.identity(oC).order(order("C-2", 15_000, "CNY")));
        at("2026-03-18T02:00:00Z", "order.paid", "pos", b -> b.identity(oA).order(order("A3", 10_000, "CNY")));
        at("2026-03-20T02:00:00Z", "message.received", "wechat", b -> b.identity(oF).identity(Identity.phone("13800000006"))
                .consent(new Consent(null, true)));
        at("2026-03-20T03:00:00Z", "cart.updated", "wechat", b -> b.identity(oF));
        sendDue("2026-03-20T03:05:00Z");
        fireTimers("2026-03-22T03:00:00Z"); // F's sms
        sendDue("2026-03-22T03:05:00Z");
        at("2026-04-02T02:00:00Z", "message.received", "wechat", b -> b.identity(wx("oG")));
        at("2026-04-03T02:00:00Z", "order.paid", "tmall", b -> b.identity(oA).order(order("A4", 99_999, "CNY")));

        assertThat(c2).isNotNull();
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void theDataSetIsWhatTheReportsAreComputedOver() throws SQLException {
        // seven people, C's two profiles merged into one; the funnel's actions as designed
        assertThat(count("select count(*) from crm_customer where status = 'active'")).isEqualTo(7);
        assertThat(count("select count(*) from crm_customer where status = 'merged'")).isEqualTo(1);
        assertThat(count("select count(*) from crm_action where status = 'sent'")).isEqualTo(6);
        assertThat(count("select count(*) from crm_action where status = 'suppressed'")).isEqualTo(4);
    }

    /**
     * <pre>
     * at start (first seen before 03-01): A B C D = 4; at end: + E F = 6; new: E F = 2
     * active (any event in March): A C D E F = 5; retained (at start and active): A C D = 3; retention 3/4
     * counted orders in March: C-1 E1 D1 A2 C-2 A3 = 6 (D2 cancelled); with orders: A C D E = 4
     * two or more: A (A2 A3), C (C-1 on C2 before the merge, C-2) = 2 → repurchase 2/4
     * on two or more channels: A (tmall, pos), C (tmall, wechat) = 2 → cross-channel 2/4
     * lifespan (first to last counted order placed before 04-01, A4 excluded):
     *   A 02-15 02:00 → 03-18 02:00 = 31 d; C 03-03 06:00 → 03-12 06:00 = 9 d; D 0; E 0 → 40 / 4 = 10 d
     * CNY: C-1 30 000 + D1 40 000 + A2 20 000 + C-2 15 000 + A3 10 000 = 115 000 over 5 orders, 3 customers (A C D)
     *   AOV 23 000; customer value 115 000 / 3 = 38 333.33; CLV = 38 333.33… × 10 / 31 = 1 150 000 / 93 = 12 365.59
     * HKD: E1 8 000, 1 order, 1 customer: AOV 8 000, value 8 000, CLV 8 000 × 10 / 31 = 2 580.65
     * per channel: pos CNY A3 10 000; pos HKD E1 8 000; tmall CNY C-1 D1 A2 90 000 (3 customers); wechat CNY C-2 15 000
     * </pre>
     */
    @Test
    void everyKpiOfTheMonthIsExact() {
        KpiReport k = reports.kpis(MARCH);

        assertThat(k.customersAtStart()).isEqualTo(4);
        assertThat(k.customers()).isEqualTo(6);
        assertThat(k.newCustomers()).isEqualTo(2);
        assertThat(k.activeCustomers()).isEqualTo(5);
        assertThat(k.retainedCustomers()).isEqualTo(3);
        assertThat(k.retention()).isEqualByComparingTo("0.75");
        assertThat(k.orders()).isEqualTo(6);
        assertThat(k.customersWithOrders()).isEqualTo(4);
        assertThat(k.repeatCustomers()).isEqualTo(2);
        assertThat(k.repurchaseRate()).isEqualByComparingTo("0.5");
        assertThat(k.crossChannelCustomers()).isEqualTo(2);
        assertThat(k.crossChannelShare()).isEqualByComparingTo("0.5");
        assertThat(k.lifespanCustomers()).isEqualTo(4);
        assertThat(k.averageLifespanDays()).isEqualByComparingTo("10");
        assertThat(k.currencies()).containsExactly(
                new KpiReport.CurrencyFigures("CNY", 5, 115_000, 3, new BigDecimal("23000.00"), new BigDecimal("38333.33"),
                        new BigDecimal("12365.59")),
                new KpiReport.CurrencyFigures("HKD", 1, 8_000, 1, new BigDecimal("8000.00"), new BigDecimal("8000.00"),
                        new BigDecimal("2580.65")));
        assertThat(k.channels()).containsExactly(
                new KpiReport.ChannelRevenue("pos", "CNY", 1, 10_000, 1),
                new KpiReport.ChannelRevenue("pos", "HKD", 1, 8_000, 1),
                new KpiReport.ChannelRevenue("tmall", "CNY", 3, 90_000, 3),
                new KpiReport.ChannelRevenue("wechat", "CNY", 1, 15_000, 1));
    }

    /**
     * <pre>
     * February: nobody before it; A B C D first seen in it (all active); one order (A1 10 000 CNY)
     * retention undefined (0 at start); repurchase 0 / 1; lifespan A only, 0 d → CLV 0
     * </pre>
     */
    @Test
    void aPeriodWithoutCustomersAtItsStartHasNoRetentionRate() {
        KpiReport k = reports.kpis(FEBRUARY);

        assertThat(k.customersAtStart()).isZero();
        assertThat(k.customers()).isEqualTo(4);
        assertThat(k.newCustomers()).isEqualTo(4);
        assertThat(k.activeCustomers()).isEqualTo(4);
        assertThat(k.retention()).isNull();
        assertThat(k.repurchaseRate()).isEqualByComparingTo("0");
        assertThat(k.averageLifespanDays()).isEqualByComparingTo("0");
        assertThat(k.currencies()).containsExactly(new KpiReport.CurrencyFigures("CNY", 1, 10_000, 1, new BigDecimal("10000.00"),
                new BigDecimal("10000.00"), new BigDecimal("0.00")));
    }

    /**
     * <pre>
     * enrolled in March: C E D A F = 5 (C once, though its actions were on C1)
     * sent: wechat A C E F = 4, sms A F = 2; reached 4
     * suppressed: consent D wx, D sms = 2; no recipient C sms, E sms = 2
     * goal order.paid within 7 d of the start: C (C-1 03-03 after 03-02), E (E1 03-04 after 03-03),
     *   D (D1 03-08 after 03-06), A (A2 03-10 after 03-08); F none → 4 / 5
     * </pre>
     */
    @Test
    void theJourneyFunnelMatchesTheHandCount() {
        JourneyFunnel f = reports.funnel("winback", MARCH);

        assertThat(f.enrolled()).isEqualTo(5);
        assertThat(f.customers()).isEqualTo(5);
        assertThat(f.reached()).isEqualTo(4);
        assertThat(f.sent()).isEqualTo(Map.of("wechat", 4L, "sms", 2L));
        assertThat(f.suppressed()).isEqualTo(Map.of("consent", 2L, "no recipient", 2L));
        assertThat(f.failed()).isZero();
        assertThat(f.pending()).isZero();
        assertThat(f.goal()).isEqualTo(new JourneyFunnel.Goal("order.paid", Duration.ofDays(7)));
        assertThat(f.goalEnrollments()).isEqualTo(5);
        assertThat(f.converted()).isEqualTo(4);
        assertThat(f.conversionRate()).isEqualByComparingTo("0.8");

        assertThat(reports.funnel("winback", FEBRUARY).enrolled()).isZero();
        assertThat(reports.funnel("no-such-journey", MARCH).goal()).isNull();
    }

    /**
     * <pre>
     * C-1 03-03 06:00: last touch C's wechat 03-02 02:05 (sent to C1, merged since) → winback/wechat CNY 30 000
     * E1  03-04 04:00: E's wechat 03-03 03:05 → winback/wechat HKD 8 000
     * D1: no touch. A2 03-10 06:00: A's sms 03-10 02:05 (after wechat 03-08) → winback/sms CNY 20 000
     * C-2 03-12 06:00: wechat 03-02 is 10 d before → none. A3 03-18 02:00: sms 03-10 02:05 is 7 d 23 h 55 m before → none
     * with a 9-day window A3 goes to the sms too: sms CNY 2 orders 30 000
     * </pre>
     */
    @Test
    void lastTouchCreditsEachOrderToTheLastMessageWithinTheWindow() {
        AttributionReport r = reports.attribution(MARCH, AttributionReport.Model.LAST_TOUCH, Duration.ofDays(7));

        assertThat(r.orders()).containsExactly(new AttributionReport.Total("CNY", 5, 115_000), new AttributionReport.Total("HKD", 1, 8_000));
        assertThat(r.attributed()).containsExactly(new AttributionReport.Total("CNY", 2, 50_000),
                new AttributionReport.Total("HKD", 1, 8_000));
        assertThat(r.credits()).containsExactly(
                credit("winback", "sms", "CNY", "1", "20000.00"),
                credit("winback", "wechat", "CNY", "1", "30000.00"),
                credit("winback", "wechat", "HKD", "1", "8000.00"));

        AttributionReport nine = reports.attribution(MARCH, AttributionReport.Model.LAST_TOUCH, Duration.ofDays(9));
        assertThat(nine.credits()).contains(credit("winback", "sms", "CNY", "2", "30000.00"));
        assertThat(nine.attributed()).contains(new AttributionReport.Total("CNY", 3, 60_000));
    }

    /**
     * <pre>
     * paths (touches since the previous order, cut at an order): A [wechat, sms] → A2; C [wechat] → C-1;
     *   E [wechat] → E1; F [wechat, sms] → null (A3, C-2, D1 have no touch since the previous order)
     * transitions: start→wechat 4/4; wechat→sms 2/4, wechat→conv 2/4; sms→conv 1/2, sms→null 1/2
     * P(conv) = 1/2 + 1/2·1/2 = 3/4
     * without wechat: 0 → removal effect 1; without sms: 1/2 → 1 − (1/2)/(3/4) = 1/3
     * shares: wechat 1 / (4/3) = 3/4, sms 1/4
     * converted orders: CNY A2 20 000 + C-1 30 000 (2 orders), HKD E1 8 000 (1 order)
     * credits: wechat CNY 1.5 orders 37 500, HKD 0.75 / 6 000; sms CNY 0.5 / 12 500, HKD 0.25 / 2 000
     * </pre>
     */
    @Test
    void theMarkovModelSplitsConvertedOrdersByRemovalEffect() {
        AttributionReport r = reports.attribution(MARCH, AttributionReport.Model.MARKOV, null);

        assertThat(r.paths()).isEqualTo(4);
        assertThat(r.convertingPaths()).isEqualTo(3);
        assertThat(r.conversionProbability()).isEqualByComparingTo("0.75");
        assertThat(r.effects()).containsExactly(
                new AttributionReport.Effect("sms", new BigDecimal("0.333333"), new BigDecimal("0.250000")),
                new AttributionReport.Effect("wechat", new BigDecimal("1.000000"), new BigDecimal("0.750000")));
        assertThat(r.attributed()).containsExactly(new AttributionReport.Total("CNY", 2, 50_000),
                new AttributionReport.Total("HKD", 1, 8_000));
        assertThat(r.credits()).containsExactly(
                new AttributionReport.Credit(null, "sms", "CNY", new BigDecimal("0.5000"), new BigDecimal("12500.00")),
                new AttributionReport.Credit(null, "sms", "HKD", new BigDecimal("0.2500"), new BigDecimal("2000.00")),
                new AttributionReport.Credit(null, "wechat", "CNY", new BigDecimal("1.5000"), new BigDecimal("37500.00")),
                new AttributionReport.Credit(null, "wechat", "HKD", new BigDecimal("0.7500"), new BigDecimal("6000.00")));
    }

    // ------------------------------------------------------------------------------------------

    static AttributionReport.Credit credit(String journey, String channel, String currency, String orders, String revenue) {
        return new AttributionReport.Credit(journey, channel, currency, new BigDecimal(orders), new BigDecimal(revenue));
    }

    static Identity wx(String openid) {
        return Identity.of("wechat_openid", openid, APP);
    }

    static Order order(String id, long totalMinor, String currency) {
        return new Order(id, "PAID", currency, totalMinor, List.of());
    }

    /** Applies one event of {@code connector} at {@code time} (the clock moves there too); returns its customer. */
    static String at(String time, String type, String connector, java.util.function.UnaryOperator<CustomerEvent.Builder> more) {
        Instant t = Instant.parse(time);
        clock.set(t);
        CustomerEvent e = more.apply(CustomerEvent.builder("ev-" + (++seq), type).source(connector, "main").time(t).receivedAt(t)).build();
        BatchResult r = core.apply(List.of(e));
        BatchResult.Outcome o = r.outcomes().get(0);
        if (o.status() == BatchResult.Status.REJECTED) {
            throw new AssertionError("rejected: " + o.reason());
        }
        return o.customerId();
    }

    static void fireTimers(String time) {
        clock.set(Instant.parse(time));
        automation.timers().fireDueTimers(1000);
    }

    /** Hands every due action to the channel at {@code time}, as the dispatcher does, and records it sent. */
    static void sendDue(String time) {
        clock.set(Instant.parse(time));
        List<PlannedAction> due = new ArrayList<>();
        automation.outbox().drainOutbox(1000, due::addAll);
        assertThat(due).isNotEmpty();
        for (PlannedAction a : due) {
            assertThat(automation.ledger().claimAction(a.id(), Duration.ofMinutes(5), false)).isEqualTo(ActionLedger.Claim.CLAIMED);
            automation.ledger().actionSent(a.id(), "ref-" + a.id(), null);
        }
    }

    static long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
