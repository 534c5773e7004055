package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * A dry run answers what a rule, journey or segment would do for one customer, with the engine's own
 * conditions, guards and templates, and keeps nothing: no action, task, tag, enrollment or timer.
 */
class DryRunTest extends AutomationTestBase {

    static final String CART_JOURNEY = """
            trigger:
              event: cart.updated
              when: "event.order.totalMinor >= 100000"
            exit-on: [order.paid]
            steps:
              - id: remind
                send:
                  marketing: false
                  via:
                    - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                        payload: { template_id: cart-reminder, data: { keyword1: "{{ string(trigger.order.totalMinor / 100) }} 元" } } }
              - id: wait-a-day
                wait: 24h
              - id: follow-up
                task: { title: "购物车未付款", assignee: crm-team, due: 24h }
            """;

    @Test
    void aJourneyDryRunShowsTheMessageItWouldSendAndWhereItWouldWaitAndKeepsNothing() throws Exception {
        String customer = customerOf(apply(cart("oDryCart", 128_800)));

        DryRun.Result result = automation.dryRun(DefinitionParser.parseOne(DefinitionParser.Kind.JOURNEY, "cart-test", CART_JOURNEY),
                customer, null);

        assertThat(result.matches()).isTrue();
        assertThat(result.event().type()).isEqualTo("cart.updated");
        assertThat(result.event().from()).isEqualTo("timeline");
        assertThat(result.actions()).hasSize(1);
        ActionRecord message = result.actions().get(0);
        assertThat(message.kind()).isEqualTo("wechat.template");
        assertThat(message.status()).isEqualTo("planned");
        assertThat(message.payload().toString()).contains("cart-reminder", "1288 元");
        assertThat(message.recipient()).doesNotContain("oDryCart");
        assertThat(result.enrollment().step()).isEqualTo("wait-a-day");
        assertThat(result.enrollment().until()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        assertThat(result.later()).containsExactly("follow-up: task");

        assertThat(count("select count(*) from crm_action")).isZero();
        assertThat(count("select count(*) from crm_enrollment")).isZero();
        assertThat(count("select count(*) from crm_timer")).isZero();
        assertThat(count("select count(*) from crm_journey_version")).isZero();
        assertThat(drain()).isEmpty();
    }

    @Test
    void aTriggerConditionThatFailsSaysSoAndPlansNothing() {
        String customer = customerOf(apply(cart("oDrySmall", 5_000)));

        DryRun.Result result = automation.dryRun(DefinitionParser.parseOne(DefinitionParser.Kind.JOURNEY, "cart-test", CART_JOURNEY),
                customer, null);

        assertThat(result.matches()).isFalse();
        assertThat(result.notes()).anySatisfy(note -> assertThat(note).contains("event.order.totalMinor >= 100000", "false"));
        assertThat(result.actions()).isEmpty();
        assertThat(result.enrollment()).isNull();
    }

    @Test
    void aRuleDryRunWithAGivenEventPlansItsTagAndTheTagIsNotKept() throws Exception {
        String customer = customerOf(apply(consenting("oDryRule")));
        DefinitionFile rule = DefinitionParser.parseOne(DefinitionParser.Kind.RULE, "big-spender", """
                on: order.paid
                when: "event.order.totalMinor >= 500000"
                then:
                  - tag: big-spender
                  - score: { name: spend, add: "event.order.totalMinor / 100" }
                """);

        DryRun.Result result = automation.dryRun(rule, customer,
                DryRun.event("{\"type\":\"order.paid\",\"data\":{\"order\":{\"id\":\"SO-1\",\"currency\":\"CNY\",\"totalMinor\":600000,"
                        + "\"lines\":[]}}}", clock.instant()));

        assertThat(result.matches()).isTrue();
        assertThat(result.event().from()).isEqualTo("given");
        assertThat(result.actions()).extracting(ActionRecord::kind).containsExactly("tag", "score");
        assertThat(result.actions().get(1).payload()).containsEntry("add", 6000);
        assertThat(count("select count(*) from crm_tag")).isZero();
        assertThat(count("select count(*) from crm_score")).isZero();
    }

    @Test
    void aCustomerWithoutAFittingEventIsToldToGiveOne() {
        String customer = customerOf(apply(consenting("oDryNoCart")));

        DryRun.Result result = automation.dryRun(DefinitionParser.parseOne(DefinitionParser.Kind.JOURNEY, "cart-test", CART_JOURNEY),
                customer, null);

        assertThat(result.matches()).isFalse();
        assertThat(result.notes()).containsExactly("the customer's timeline holds no cart.updated event to try: give one");
    }

    @Test
    void aSegmentDryRunSaysWhetherTheCustomerIsInItAndAnUnknownCustomerIsRefused() {
        String customer = customerOf(apply(paid("oDrySegment", "SO-9", 700_000)));
        DefinitionFile segment = DefinitionParser.parseOne(DefinitionParser.Kind.SEGMENT, "high-spend",
                "when: \"customer.orders.totalMinor[?'CNY'].orValue(0) >= 500000\"\n");

        DryRun.Result result = automation.dryRun(segment, customer, null);

        assertThat(result.matches()).isTrue();
        assertThat(result.notes()).contains("the customer would enter it with their next event");
        assertThatThrownBy(() -> automation.dryRun(segment, "0192f3a0-0000-7000-8000-000000000000", null))
                .isInstanceOf(NoSuchElementException.class);
    }
}
