package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.crm.SweepClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Segments over the current time, kept current by the sweep when no event arrives; backfills; RFM decay. */
class TimeBasedSegmentsTest extends AutomationTestBase {

    static final Duration DAILY = Duration.ofDays(1);
    static final Duration LEASE = Duration.ofHours(1);

    static final String LAPSED = """
            segments:
              - id: lapsed
                when: "customer.orders.count > 0 && daysBetween(customer.orders.lastOrderAt, now) > 30"
            journeys:
              - id: win-back
                trigger: { segment: lapsed }
                steps:
                  - id: coupon
                    send:
                      connector: wechat
                      instance: brand-oa
                      kind: wechat.template
                      recipient: wechat_openid
                      payload:
                        template_id: WIN-BACK
                        data: { days: "{{ string(daysBetween(customer.orders.lastOrderAt, now)) }}" }
            """;

    SweepClaims claims() {
        return new SweepClaims(ds, clock, "node-a");
    }

    List<SegmentSweep.Result> sweepDue() {
        return automation.sweep().runDue(claims(), new SegmentSweep.Schedule(DAILY, 100, LEASE));
    }

    String buyer(String openid) {
        apply(consenting(openid));
        return customerOf(apply(paid(openid, "SO-" + openid, 10_000)));
    }

    @Test
    void aCustomerWhoseLastOrderTurns31DaysOldEntersTheLapsedSegmentWithoutAnEventAndItsJourneySendsOnce() throws Exception {
        define(LAPSED);
        String customer = buyer("o-lapsing");
        sweepDue();
        assertThat(automation.views().segmentMembers("lapsed", 10)).isEmpty();
        assertThat(drain()).isEmpty();

        advance(Duration.ofDays(31));
        List<SegmentSweep.Result> ran = sweepDue();

        assertThat(ran).singleElement().satisfies(r -> {
            assertThat(r.job()).isEqualTo(SegmentSweep.SWEEP_JOB);
            assertThat(r.period()).isEqualTo("2026-04-02");
            assertThat(r.entered()).isEqualTo(1);
            assertThat(r.enrolled()).isEqualTo(1);
        });
        assertThat(automation.views().segmentMembers("lapsed", 10)).containsExactly(customer);
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.customerId()).isEqualTo(customer);
            assertThat(a.recipient().value()).isEqualTo("o-lapsing");
            assertThat(a.payload()).containsEntry("template_id", "WIN-BACK");
            assertThat(a.payload().get("data").toString()).contains("days=31");
        });
        assertThat(automation.views().enrollments("win-back", null, null, 10)).singleElement()
                .satisfies(e -> assertThat(e.triggerEventId()).startsWith("segment:lapsed:" + customer));

        // the same day again, then the next day: still lapsed, nobody enters again, nothing is sent again
        assertThat(sweepDue()).isEmpty();
        advance(DAILY);
        assertThat(sweepDue()).singleElement().satisfies(r -> assertThat(r.entered()).isZero());
        assertThat(automation.sweep().sweep(100).entered()).isZero();
        assertThat(drain()).isEmpty();
        assertThat(count("select count(*) from crm_action where customer_id = ?", UUID.fromString(customer))).isEqualTo(1);
        assertThat(count("select count(*) from crm_enrollment where customer_id = ?", UUID.fromString(customer))).isEqualTo(1);
    }

    @Test
    void anOrderTakesTheCustomerOutOfTheSegmentAndLapsingAgainSendsAgain() {
        define(LAPSED);
        sweepDue(); // the new segment's backfill
        String customer = buyer("o-twice");
        advance(Duration.ofDays(31));
        sweepDue();
        assertThat(drain()).hasSize(1);

        apply(paid("o-twice", "SO-second", 5_000));
        assertThat(automation.views().segmentMembers("lapsed", 10)).isEmpty();
        advance(Duration.ofDays(20));
        sweepDue();
        assertThat(drain()).isEmpty();

        advance(Duration.ofDays(11));
        assertThat(sweepDue()).singleElement().satisfies(r -> assertThat(r.entered()).isEqualTo(1));
        assertThat(automation.views().segmentMembers("lapsed", 10)).containsExactly(customer);
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.customerId()).isEqualTo(customer));
    }

    @Test
    void aNewSegmentIsBackfilledSilentlyAndOnlyLaterLapsesStartItsJourney() {
        String early = buyer("o-early");
        advance(Duration.ofDays(40));
        String later = buyer("o-later");
        define(LAPSED);

        List<SegmentSweep.Result> ran = sweepDue();

        assertThat(ran).extracting(SegmentSweep.Result::job)
                .containsExactly("segment-backfill:lapsed:" + SegmentSweep.version(automation.definitions().segments().iterator().next()),
                        SegmentSweep.SWEEP_JOB);
        assertThat(ran.get(0).entered()).isEqualTo(1);
        assertThat(ran.get(0).enrolled()).isZero();
        assertThat(automation.views().segmentMembers("lapsed", 10)).containsExactly(early);
        assertThat(drain()).isEmpty();

        advance(Duration.ofDays(31));
        sweepDue();
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.customerId()).isEqualTo(later));
        assertThat(automation.views().segmentMembers("lapsed", 10)).containsExactlyInAnyOrder(early, later);
    }

    @Test
    void aJourneyThatAsksForItEnrollsTheCustomersABackfillFinds() {
        String early = buyer("o-found");
        advance(Duration.ofDays(40));
        define(LAPSED.replace("trigger: { segment: lapsed }", "trigger: { segment: lapsed, on-backfill: true }"));

        sweepDue();

        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.customerId()).isEqualTo(early));
    }

    @Test
    void aChangedSegmentIsBackfilledAgainAndSoIsAChangeBack() {
        String recent = buyer("o-recent");
        advance(Duration.ofDays(10));
        define(LAPSED);
        sweepDue();
        assertThat(automation.views().segmentMembers("lapsed", 10)).isEmpty();

        define(LAPSED.replace("> 30", "> 7"));
        assertThat(sweepDue()).first().satisfies(r -> {
            assertThat(r.job()).startsWith("segment-backfill:lapsed:");
            assertThat(r.entered()).isEqualTo(1);
        });
        assertThat(automation.views().segmentMembers("lapsed", 10)).containsExactly(recent);

        define(LAPSED);
        assertThat(sweepDue()).first().satisfies(r -> assertThat(r.left()).isEqualTo(1));
        assertThat(automation.views().segmentMembers("lapsed", 10)).isEmpty();
        assertThat(drain()).isEmpty();
    }

    @Test
    void rfmRecencyDecaysDayByDayWithoutNewOrders() throws Exception {
        String customer = buyer("o-rfm");
        UUID id = UUID.fromString(customer);
        assertThat(recency(id)).isEqualTo(5);

        advance(Duration.ofDays(31));
        sweepDue();
        assertThat(recency(id)).isEqualTo(4);
        advance(Duration.ofDays(60));
        sweepDue();
        assertThat(recency(id)).isEqualTo(3);
        assertThat(count("select value from crm_score where customer_id = ? and name = 'rfm'", id)).isEqualTo(311);
    }

    long recency(UUID id) throws Exception {
        return count("select value from crm_score where customer_id = ? and name = 'rfm_recency'", id);
    }

    @Test
    void aBirthdayThisMonthSegmentFollowsTheCalendar() {
        define("""
                segments:
                  - id: birthday-month
                    when: "has(customer.attributes.birthday) && monthOf(customer.attributes.birthday) == monthOf(now, 'Asia/Shanghai')"
                  - id: birthday-today
                    when: "has(customer.attributes.birthday) && monthOf(customer.attributes.birthday) == monthOf(now, 'Asia/Shanghai')
                           && dayOfMonthOf(customer.attributes.birthday) == dayOfMonthOf(now, 'Asia/Shanghai')"
                """);
        String april = customerOf(apply(event("profile.updated", "o-april").attribute("birthday", "1990-04-01").build()));
        apply(event("profile.updated", "o-odd").attribute("birthday", "not a date").build());
        sweepDue(); // backfills: 2 March, nobody
        assertThat(automation.views().segmentMembers("birthday-month", 10)).isEmpty();

        // 1 April in Shanghai begins at 16:00 UTC on 31 March
        clock.moveTo(Instant.parse("2026-03-31T16:30:00Z"));
        sweepDue();
        assertThat(automation.views().segmentMembers("birthday-month", 10)).containsExactly(april);
        assertThat(automation.views().segmentMembers("birthday-today", 10)).containsExactly(april);

        clock.moveTo(Instant.parse("2026-04-02T02:00:00Z"));
        sweepDue();
        assertThat(automation.views().segmentMembers("birthday-today", 10)).isEmpty();
        clock.moveTo(Instant.parse("2026-05-01T02:00:00Z"));
        sweepDue();
        assertThat(automation.views().segmentMembers("birthday-month", 10)).isEmpty();
    }

    @Test
    void onBackfillIsRefusedOnAJourneyTriggeredByAnEvent() {
        assertThatThrownBy(() -> DefinitionParser.parseFile("j.yaml", """
                journeys:
                  - id: welcome
                    trigger: { event: order.paid, on-backfill: true }
                    steps:
                      - tag: welcomed
                """)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'on-backfill' of journey 'welcome' needs a 'segment' trigger");
    }

    static Object eval(String source, Instant now, Map<String, Object> customer) {
        return ExpressionLanguage.get().compile(source, ExpressionLanguage.Scope.CUSTOMER, new Location("t.yaml", 1))
                .evaluate(Map.of("now", now, "customer", customer));
    }

    @Test
    void timeHelpersCountWholeDaysAndReadDatesAsBirthdaysAreKept() {
        Instant now = Instant.parse("2026-05-31T17:00:00Z"); // 1 June, 01:00 in Shanghai
        Map<String, Object> customer = Map.of("lastOrderAt", Instant.parse("2026-04-30T18:00:00Z"), "birthday", "1990-06-15",
                "anniversary", "--12-24", "odd", "15.06.1990");

        assertThat(eval("daysBetween(customer.lastOrderAt, now)", now, customer)).isEqualTo(30L);
        assertThat(eval("daysBetween(now, customer.lastOrderAt)", now, customer)).isEqualTo(-31L);
        assertThat(eval("monthOf(customer.birthday)", now, customer)).isEqualTo(6L);
        assertThat(eval("dayOfMonthOf(customer.birthday)", now, customer)).isEqualTo(15L);
        assertThat(eval("monthOf(customer.anniversary) * 100 + dayOfMonthOf(customer.anniversary)", now, customer)).isEqualTo(1224L);
        assertThat(eval("monthOf(now, 'Asia/Shanghai')", now, customer)).isEqualTo(6L);
        assertThat(eval("monthOf(now, 'UTC')", now, customer)).isEqualTo(5L);
        assertThat(eval("dayOfMonthOf(now, 'Asia/Shanghai')", now, customer)).isEqualTo(1L);
        Expression odd = ExpressionLanguage.get().compile("monthOf(customer.odd) == 6", ExpressionLanguage.Scope.CUSTOMER,
                new Location("t.yaml", 1));
        assertThat(odd.test(Map.of("now", now, "customer", customer))).isFalse();
    }

    @Test
    void theSweepWalksEveryCustomerInBatchesOfTheConfiguredSize() {
        define(LAPSED);
        sweepDue(); // the new segment's backfill
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(buyer("o-batch-" + i));
        }
        advance(Duration.ofDays(31));

        List<SegmentSweep.Result> ran = automation.sweep().runDue(claims(), new SegmentSweep.Schedule(DAILY, 3, LEASE));

        assertThat(ran).last().satisfies(r -> {
            assertThat(r.customers()).isEqualTo(7);
            assertThat(r.entered()).isEqualTo(7);
        });
        assertThat(automation.views().segmentMembers("lapsed", 100)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(drain()).hasSize(7);
    }

    @Test
    void twoNodesSweepingTheSameDayEnrollEachCustomerOnce() throws Exception {
        define(LAPSED);
        sweepDue(); // the new segment's backfill
        for (int i = 0; i < 20; i++) {
            buyer("o-nodes-" + i);
        }
        advance(Duration.ofDays(31));
        Automation other = new Automation(ds, clock, guards());
        other.use(automation.definitions());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<List<SegmentSweep.Result>> a = () -> automation.sweep().runDue(new SweepClaims(ds, clock, "node-a"), new SegmentSweep.Schedule(DAILY, 4, LEASE));
            Callable<List<SegmentSweep.Result>> b = () -> other.sweep().runDue(new SweepClaims(ds, clock, "node-b"), new SegmentSweep.Schedule(DAILY, 4, LEASE));
            Future<List<SegmentSweep.Result>> fa = pool.submit(a);
            Future<List<SegmentSweep.Result>> fb = pool.submit(b);
            List<SegmentSweep.Result> all = new ArrayList<>(fa.get());
            all.addAll(fb.get());
            assertThat(all).filteredOn(r -> r.job().equals(SegmentSweep.SWEEP_JOB)).singleElement()
                    .satisfies(r -> assertThat(r.entered()).isEqualTo(20));
        } finally {
            pool.shutdownNow();
        }
        // even sweeping regardless of the claims, on both nodes, enters nobody twice
        automation.sweep().sweep(4);
        other.sweep().sweep(4);
        assertThat(drain()).hasSize(20);
        assertThat(count("select count(*) from crm_enrollment")).isEqualTo(20);
    }

    @Test
    void aSegmentDeletedAndDefinedAgainIsBackfilledAgain() {
        String early = buyer("o-deleted");
        advance(Duration.ofDays(40));
        define(LAPSED);
        DefinitionStore store = new DefinitionStore(ds, clock);
        store.put(DefinitionParser.Kind.SEGMENT, "lapsed", "id: lapsed\nwhen: 'customer.orders.count > 0'\n", "test");
        sweepDue();
        assertThat(automation.views().segmentMembers("lapsed", 10)).containsExactly(early);
        store.delete(DefinitionParser.Kind.SEGMENT, "lapsed");
        assertThat(automation.views().segmentMembers("lapsed", 10)).isEmpty();

        assertThat(sweepDue()).first().satisfies(r -> assertThat(r.job()).startsWith("segment-backfill:lapsed:"));
        assertThat(automation.views().segmentMembers("lapsed", 10)).containsExactly(early);
        assertThat(drain()).isEmpty();
    }
}
