package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Order;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesAndSegmentsTest extends AutomationTestBase {

    @Test
    void tagAndScoreRulesSeeTheEventAndTheProfile() {
        define("""
                rules:
                  - id: running-interest
                    on: page.viewed
                    when: "event.extra.url.contains('/running')"
                    then:
                      - score: { name: intent_running, add: 20 }
                      - tag: running-shoes
                  - id: big-spender
                    on: [order.paid]
                    when: "customer.orders.totalMinor[?'CNY'].orValue(0) >= 500000"
                    then:
                      - tag: VIP
                """);
        String c = customerOf(apply(event("page.viewed", "o-1").extra("url", "https://shop/running/pegasus").build()));
        apply(event("page.viewed", "o-1").extra("url", "https://shop/running/vomero").build());
        apply(event("page.viewed", "o-1").extra("url", "https://shop/hiking").build());
        apply(paid("o-1", "A", 300_000));

        assertThat(core.customer(c).orElseThrow().scores()).containsEntry("intent_running", 40L);
        assertThat(core.customer(c).orElseThrow().tags()).containsExactly("running-shoes");

        apply(paid("o-1", "B", 200_000));
        assertThat(core.customer(c).orElseThrow().tags()).containsExactly("VIP", "running-shoes");
    }

    @Test
    void aCancelledOrderDoesNotCountTowardsSpend() {
        define("""
                rules:
                  - id: vip
                    on: [order.paid, order.cancelled]
                    when: "customer.orders.totalMinor[?'CNY'].orValue(0) >= 500000"
                    then: [ { tag: VIP } ]
                """);
        String c = customerOf(apply(event("order.cancelled", "o-2").order(new Order("X", "CANCELLED", "CNY", 900_000, List.of())).build()));

        assertThat(core.customer(c).orElseThrow().tags()).isEmpty();
    }

    @Test
    void rfmScoresFollowOrders() {
        String c = customerOf(apply(paid("o-rfm", "1", 60_000)));
        assertThat(core.customer(c).orElseThrow().scores())
                .containsEntry("rfm_recency", 5L).containsEntry("rfm_frequency", 1L).containsEntry("rfm_monetary", 2L)
                .containsEntry("rfm", 512L);

        apply(paid("o-rfm", "2", 600_000), paid("o-rfm", "3", 1_000));
        assertThat(core.customer(c).orElseThrow().scores()).containsEntry("rfm", 524L);

        advance(Duration.ofDays(200));
        apply(event("order.refunded", "o-rfm").order(new Order("3", "REFUNDED", "CNY", 1_000, List.of())).build());
        assertThat(core.customer(c).orElseThrow().scores()).containsEntry("rfm_recency", 2L);
    }

    @Test
    void rfmThresholdsAreConfigurableAndItCanBeSwitchedOff() {
        define("""
                rfm:
                  currency: CNY
                  monetary-minor: [1, 2, 3, 4]
                """);
        String c = customerOf(apply(paid("o-cfg", "1", 10)));
        assertThat(core.customer(c).orElseThrow().scores()).containsEntry("rfm_monetary", 5L);

        define("""
                rfm: { enabled: false }
                """);
        String d = customerOf(apply(paid("o-off", "1", 10)));
        assertThat(core.customer(d).orElseThrow().scores()).isEmpty();
    }

    @Test
    void segmentMembershipStaysCurrentAsEventsArrive() {
        define("""
                rules:
                  - id: churn
                    on: score.changed
                    when: "event.extra.score == 'churn_risk'"
                    then:
                      - score: { name: churn_risk, set: "event.extra.value" }
                segments:
                  - id: at-risk
                    when: "customer.scores[?'churn_risk'].orValue(0) > 80"
                """);
        String c = customerOf(apply(churn("o-seg", 50)));
        assertThat(automation.views().segmentMembers("at-risk", 10)).isEmpty();

        apply(churn("o-seg", 85));
        assertThat(automation.views().segmentMembers("at-risk", 10)).containsExactly(c);
        assertThat(automation.views().segmentSize("at-risk")).isEqualTo(1);

        apply(churn("o-seg", 20));
        assertThat(automation.views().segmentMembers("at-risk", 10)).isEmpty();
    }

    @Test
    void enteringASegmentStartsAJourneyOncePerEntry() {
        define("""
                rules:
                  - id: churn
                    on: score.changed
                    then:
                      - score: { name: churn_risk, set: "event.extra.value" }
                segments:
                  - id: at-risk
                    when: "customer.scores[?'churn_risk'].orValue(0) > 80"
                journeys:
                  - id: save
                    trigger: { segment: at-risk }
                    steps:
                      - id: call
                        task: { title: "call {{ customer.id }}", assignee: rescuer }
                """);
        String c = customerOf(apply(churn("o-j", 90)));
        apply(churn("o-j", 95)); // still in the segment: no new entry
        assertThat(automation.tasks().tasks("rescuer", null, null, null, 10)).hasSize(1);

        apply(churn("o-j", 10), churn("o-j", 99)); // left and entered again
        assertThat(automation.tasks().tasks("rescuer", null, null, c, 10)).hasSize(2)
                .allSatisfy(t -> assertThat(t.title()).isEqualTo("call " + c));
    }

    @Test
    void aConditionOnAFieldTheEventLacksIsFalseNotAnError() {
        define("""
                rules:
                  - id: picky
                    when: "event.extra.colour == 'red'"
                    then: [ { tag: red } ]
                """);
        String c = customerOf(apply(event("profile.updated", "o-none").build()));
        apply(event("profile.updated", "o-none").extra("colour", "red").build());

        assertThat(core.customer(c).orElseThrow().tags()).containsExactly("red");
    }

    @Test
    void aTemplateThatCannotBeComputedFailsThatActionOnlyAndSaysWhy() {
        define("""
                rules:
                  - id: greet
                    on: profile.updated
                    then:
                      - tag: "{{ event.attributes.nickname }}"
                      - tag: greeted
                """);
        String c = customerOf(apply(event("profile.updated", "o-t").build()));

        assertThat(core.customer(c).orElseThrow().tags()).containsExactly("greeted");
        assertThat(actions(c)).filteredOn(a -> a.status().equals("failed")).singleElement()
                .satisfies(a -> assertThat(a.reason()).contains("test.yaml:5").contains("nickname"));
    }

    private CustomerEvent churn(String openid, long value) {
        return event("score.changed", openid).extra("score", "churn_risk").extra("value", value).build();
    }
}
