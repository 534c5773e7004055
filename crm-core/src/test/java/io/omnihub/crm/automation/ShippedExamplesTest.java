package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The examples shipped in automation/examples, on the engine alone (the hub's e2e tests run them through the pipeline). */
@SuppressWarnings("unchecked")
class ShippedExamplesTest extends AutomationTestBase {

    @BeforeEach
    void examples() {
        new DefinitionFolder(Path.of("..", "automation"), null, automation).refresh();
    }

    @Test
    void cartNotPaidIn24HoursGetsACouponAndAStoreTaskUnlessPaid() {
        apply(event("profile.updated", "o-cart").attribute("homeStore", "SH-001").consent(new Consent(null, true)).build());
        String buyer = customerOf(apply(cart("o-cart", 128_800)));
        apply(event("profile.updated", "o-payer").consent(new Consent(null, true)).build());
        apply(cart("o-payer", 200_000));
        advance(Duration.ofHours(2));
        apply(paid("o-payer", "SO-1", 200_000));

        advance(Duration.ofHours(22));
        fireTimers();

        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.recipient().value()).isEqualTo("o-cart");
            assertThat(a.kind()).isEqualTo("wechat.template");
            assertThat(a.payload()).containsEntry("template_id", "cart-coupon-template");
            assertThat((Map<String, Object>) a.payload().get("data")).containsEntry("keyword1", "1288 元");
        });
        assertThat(automation.tasks().tasks(null, "SH-001", "open", null, 10)).singleElement().satisfies(t -> {
            assertThat(t.customerId()).isEqualTo(buyer);
            assertThat(t.assignee()).isEqualTo("store.sh001");
            assertThat(t.title()).contains("1288");
        });
    }

    @Test
    void aWebLeadIsAssignedByRegionWelcomedAndEscalatedAfter24Hours() {
        String lead = customerOf(apply(event("lead.created", "o-lead").attribute("name", "王芳").attribute("region", "east")
                .extra("form", "spring-expo").build()));

        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.payload()).containsEntry("template_id", "lead-welcome-template");
            assertThat((Map<String, Object>) a.payload().get("data")).containsEntry("first", "王芳，感谢您的咨询");
        });
        assertThat(automation.tasks().tasks("li.wei", null, "open", lead, 10)).singleElement()
                .satisfies(t -> assertThat(t.note()).isEqualTo("来自 spring-expo，请 24 小时内联系"));

        advance(Duration.ofHours(24));
        fireTimers();
        assertThat(automation.tasks().tasks("zhang.min", null, "open", lead, 10)).singleElement()
                .satisfies(t -> assertThat(t.escalatedFrom()).isEqualTo("li.wei"));
    }

    @Test
    void aDelightedCustomerIsInvitedToReviewAWeekLaterAndTaggedBrandAdvocate() {
        apply(consenting("o-happy"));
        apply(consenting("o-meh"));
        String happy = customerOf(apply(event("ticket.resolved", "o-happy").extra("ticketId", "T-77").extra("satisfaction", 5).build()));
        String meh = customerOf(apply(event("ticket.resolved", "o-meh").extra("ticketId", "T-78").extra("satisfaction", 4).build()));
        // a customer the help desk knows by phone only: the invitation falls back to a text message
        Identity phone = Identity.of("phone", "+8613900000077", null);
        apply(io.omnihub.connector.event.CustomerEvent.builder("desk:phone-1", "consent.changed").source("desk", "zendesk")
                .time(clock.instant()).receivedAt(clock.instant()).identity(phone).consent(new Consent(null, true)).build());
        apply(io.omnihub.connector.event.CustomerEvent.builder("desk:phone-2", "ticket.resolved").source("desk", "zendesk")
                .time(clock.instant()).receivedAt(clock.instant()).identity(phone).extra("ticketId", "T-79").extra("satisfaction", 5)
                .build());

        advance(Duration.ofDays(7).minusMinutes(1));
        fireTimers();
        assertThat(drain()).isEmpty();
        advance(Duration.ofMinutes(1));
        fireTimers();

        assertThat(drain()).satisfiesExactlyInAnyOrder(a -> {
            assertThat(a.kind()).isEqualTo("wechat.subscribe");
            assertThat(a.payload()).containsEntry("page", "pages/review/index?ticket=T-77");
        }, a -> {
            assertThat(a.kind()).isEqualTo("sms.send");
            assertThat(a.recipient()).isEqualTo(phone);
            assertThat(a.payload()).containsEntry("template_code", "SMS_REVIEW_INVITE").containsEntry("params", Map.of("ticket", "T-79"));
        });
        assertThat(core.customer(happy).orElseThrow().tags()).containsExactly("brand-advocate");
        assertThat(core.customer(meh).orElseThrow().tags()).isEmpty();
    }

    @Test
    void aBigSpenderBecomesVipAndAVipAtRiskGetsARetentionTaskAndALargeCoupon() {
        apply(consenting("o-vip"));
        String vip = customerOf(apply(paid("o-vip", "A", 300_000)));
        assertThat(core.customer(vip).orElseThrow().tags()).isEmpty();
        apply(paid("o-vip", "B", 250_000));
        assertThat(core.customer(vip).orElseThrow().tags()).containsExactly("VIP");

        apply(event("score.changed", "o-vip").extra("score", "churn_risk").extra("value", 60).build());
        assertThat(drain()).isEmpty();
        apply(event("score.changed", "o-vip").extra("score", "churn_risk").extra("value", 85).build());

        List<PlannedAction> sent = drain();
        assertThat(sent).singleElement().satisfies(a -> assertThat(a.payload()).containsEntry("template_id", "vip-coupon-template"));
        assertThat(automation.tasks().tasks("crm-team", null, "open", vip, 10)).singleElement()
                .satisfies(t -> assertThat(t.title()).isEqualTo("VIP 流失风险 85：请安排回访"));
        assertThat(automation.views().segmentMembers("vip-churn-risk", 10)).containsExactly(vip);
    }

    @Test
    void threeRunningShoeViewsInAWeekShowAnInterestOnceAndABoughtPairMakesARecentRunner() {
        String fan = customerOf(apply(view("o-run")));
        advance(Duration.ofDays(2));
        apply(view("o-run"));
        advance(Duration.ofDays(4));
        apply(view("o-run"));
        advance(Duration.ofDays(1));
        apply(view("o-run"));
        String browser = customerOf(apply(view("o-browse")));
        advance(Duration.ofDays(8));
        apply(view("o-browse"), view("o-browse"));

        assertThat(core.customer(fan).orElseThrow().tags()).containsExactly("running-shoe-fan");
        assertThat(core.customer(fan).orElseThrow().scores()).containsEntry("intent_running", 20L);
        assertThat(core.customer(browser).orElseThrow().tags()).isEmpty();

        apply(event("store.purchased", "o-browse").order(new io.omnihub.connector.event.Order("S1:T-1", null, "CNY", 29_900,
                List.of(new io.omnihub.connector.event.Order.OrderLine("RS-42", "缓震跑鞋 42码", 1, 29_900, "跑鞋")))).build());
        assertThat(automation.views().segmentMembers("recent-runners", 10)).containsExactly(browser);
    }

    private io.omnihub.connector.event.CustomerEvent view(String openid) {
        return event("page.viewed", openid).extra("category", "running-shoes").build();
    }

    @Test
    void aCustomerWithoutAnOrderFor31DaysGetsTheWinBackCouponOnceFromTheSweep() {
        io.omnihub.crm.SweepClaims claims = new io.omnihub.crm.SweepClaims(ds, clock, "node-a");
        SegmentSweep.Schedule daily = new SegmentSweep.Schedule(Duration.ofDays(1), 100, Duration.ofHours(1));
        apply(event("profile.updated", "o-lapsed").consent(new Consent(null, true)).build());
        String customer = customerOf(apply(paid("o-lapsed", "SO-lapsed", 19_900)));
        automation.sweep().runDue(claims, daily);
        drain();

        advance(Duration.ofDays(31));
        automation.sweep().runDue(claims, daily);

        assertThat(automation.views().segmentMembers("lapsed-30d", 10)).containsExactly(customer);
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.recipient().value()).isEqualTo("o-lapsed");
            assertThat(a.payload()).containsEntry("template_id", "win-back-template");
            assertThat((Map<String, Object>) a.payload().get("data")).containsEntry("keyword2", "31 天未下单");
        });
        advance(Duration.ofDays(1));
        automation.sweep().runDue(claims, daily);
        assertThat(drain()).isEmpty();
    }
}
