package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.crm.BatchResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyTest extends AutomationTestBase {

    static final String CART = """
            journeys:
              - id: cart
                trigger:
                  event: cart.updated
                  when: "event.order.totalMinor >= 100000"
                exit-on: [order.paid]
                steps:
                  - id: wait
                    wait: 24h
                  - id: coupon
                    send:
                      connector: wechat
                      instance: brand-oa
                      kind: wechat.template
                      recipient: wechat_openid
                      payload:
                        template_id: T1
                        data: { amount: "{{ string(trigger.order.totalMinor / 100) }}" }
            """;

    @Test
    void aTimerFiresTheNextStepAfterTheWaitAndOnlyThen() {
        define(CART);
        apply(consenting("o-1"));
        String customer = customerOf(apply(cart("o-1", 128_800)));

        assertThat(automation.views().enrollments("cart", "active", null, 10)).singleElement()
                .satisfies(e -> assertThat(e.step()).isEqualTo("wait"));
        advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(fireTimers()).isZero();
        assertThat(drain()).isEmpty();

        advance(Duration.ofMinutes(1));
        assertThat(fireTimers()).isEqualTo(1);
        List<PlannedAction> sent = drain();

        assertThat(sent).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("wechat.template");
            assertThat(a.connector()).isEqualTo("wechat");
            assertThat(a.instance()).isEqualTo("brand-oa");
            assertThat(a.recipient().value()).isEqualTo("o-1");
            assertThat(a.recipient().namespace()).isEqualTo(APP);
            assertThat(a.payload()).containsEntry("template_id", "T1");
            assertThat(a.payload().get("data").toString()).contains("amount=1288");
            assertThat(a.id()).endsWith(":coupon");
            assertThat(a.customerId()).isEqualTo(customer);
        });
        assertThat(automation.views().enrollments("cart", null, null, 10)).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo("completed"));
        // nothing left to fire, nothing sent twice
        advance(Duration.ofDays(3));
        assertThat(fireTimers()).isZero();
        assertThat(drain()).isEmpty();
    }

    @Test
    void anExitEventEndsTheJourneyAndItsTimerFiresIntoNothing() throws Exception {
        define(CART);
        apply(consenting("o-2"));
        apply(cart("o-2", 150_000));
        advance(Duration.ofHours(3));

        apply(paid("o-2", "order-9", 150_000));

        assertThat(automation.views().enrollments("cart", null, null, 10)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("exited");
            assertThat(e.endReason()).contains("order.paid");
        });
        advance(Duration.ofDays(1));
        assertThat(fireTimers()).isEqualTo(1);
        assertThat(drain()).isEmpty();
        assertThat(count("select count(*) from crm_timer where outcome = 'enrollment exited'")).isEqualTo(1);
    }

    @Test
    void aCartBelowTheThresholdEnrollsNobodyAndARepeatedTriggerDoesNotEnrollTwice() {
        define(CART);
        apply(cart("o-3", 99_999));
        assertThat(automation.views().enrollments("cart", null, null, 10)).isEmpty();

        apply(cart("o-3", 100_000));
        apply(cart("o-3", 200_000));
        assertThat(automation.views().enrollments("cart", null, null, 10)).hasSize(1);
    }

    @Test
    void waitForAnEventGoesOnWhenItComesAndTimesOutOtherwise() {
        define("""
                journeys:
                  - id: onboarding
                    trigger: { event: customer.followed }
                    steps:
                      - id: await-first-message
                        wait-for:
                          event: message.received
                          when: "event.message.text.contains('hello')"
                          timeout: 2d
                          on-timeout: nudge
                      - id: talked
                        tag: talkative
                      - id: done
                        exit: true
                      - id: nudge
                        tag: silent
                """);
        String talker = customerOf(apply(event("customer.followed", "o-a").build()));
        String silent = customerOf(apply(event("customer.followed", "o-b").build()));

        apply(event("message.received", "o-a").message(new io.omnihub.connector.event.Message("text", "well")).build());
        assertThat(core.customer(talker).orElseThrow().tags()).isEmpty();
        apply(event("message.received", "o-a").message(new io.omnihub.connector.event.Message("text", "hello there")).build());
        assertThat(core.customer(talker).orElseThrow().tags()).containsExactly("talkative");

        advance(Duration.ofDays(2));
        assertThat(fireTimers()).isEqualTo(2); // the talker's timeout is stale, the silent one's fires
        assertThat(core.customer(talker).orElseThrow().tags()).containsExactly("talkative");
        assertThat(core.customer(silent).orElseThrow().tags()).containsExactly("silent");
        assertThat(automation.views().enrollments("onboarding", "completed", null, 10)).hasSize(2);
    }

    @Test
    void branchesChooseByCondition() {
        define("""
                journeys:
                  - id: sorter
                    trigger: { event: profile.updated }
                    steps:
                      - id: which
                        branch: { if: "customer.attributes[?'city'].orValue('') == 'Shanghai'", then: shanghai }
                      - id: elsewhere
                        tag: elsewhere
                      - id: stop
                        exit: true
                      - id: shanghai
                        tag: shanghai
                """);
        String sh = customerOf(apply(event("profile.updated", "o-s").attribute("city", "Shanghai").build()));
        String bj = customerOf(apply(event("profile.updated", "o-b").attribute("city", "Beijing").build()));

        assertThat(core.customer(sh).orElseThrow().tags()).containsExactly("shanghai");
        assertThat(core.customer(bj).orElseThrow().tags()).containsExactly("elsewhere");
    }

    @Test
    void aStepsActionRunsAtMostOncePerEnrollmentEvenWhenTheJourneyLoops() throws Exception {
        define("""
                journeys:
                  - id: loop
                    trigger: { event: profile.updated }
                    steps:
                      - id: bump
                        score: { name: touches, add: 1 }
                      - id: pause
                        wait: 1h
                      - id: again
                        branch: { if: "true", then: bump }
                """);
        String customer = customerOf(apply(event("profile.updated", "o-l").build()));
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofHours(1));
            fireTimers();
        }

        assertThat(core.customer(customer).orElseThrow().scores()).containsEntry("touches", 1L);
        assertThat(count("select count(*) from crm_action where kind = 'score' and payload->>'name' = 'touches'")).isEqualTo(1);
    }

    @Test
    void aJourneyThatLoopsWithoutWaitingIsEnded() {
        define("""
                journeys:
                  - id: spin
                    trigger: { event: profile.updated }
                    steps:
                      - id: a
                        branch: { if: "true", then: b }
                      - id: b
                        branch: { if: "true", then: a }
                """);
        apply(event("profile.updated", "o-x").build());

        assertThat(automation.views().enrollments("spin", null, null, 10)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("exited");
            assertThat(e.endReason()).contains("loops");
        });
    }

    @Test
    void runningEnrollmentsFinishOnTheVersionTheyStartedWith() {
        define(CART);
        apply(consenting("o-v"));
        apply(cart("o-v", 300_000));

        // the journey is edited while the customer waits: a new template, and the wait is gone
        define(CART.replace("template_id: T1", "template_id: T2").replace("""
                      - id: wait
                        wait: 24h
                """, ""));
        apply(consenting("o-new"));
        apply(cart("o-new", 300_000));
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.payload()).containsEntry("template_id", "T2"));

        advance(Duration.ofDays(1));
        fireTimers();
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.payload()).containsEntry("template_id", "T1");
            assertThat(a.recipient().value()).isEqualTo("o-v");
        });
    }

    @Test
    void withoutReentryACustomerIsEnrolledOnlyOnceEver() {
        define("""
                journeys:
                  - id: once
                    reentry: false
                    trigger: { event: customer.followed }
                    steps:
                      - id: hello
                        score: { name: greeted, add: 1 }
                """);
        String c = customerOf(apply(event("customer.followed", "o-r").build()));
        apply(event("customer.followed", "o-r").build());

        assertThat(automation.views().enrollments("once", null, null, 10)).hasSize(1);
        assertThat(core.customer(c).orElseThrow().scores()).containsEntry("greeted", 1L);
    }

    @Test
    void anEnrollmentFollowsItsCustomerIntoAMerge() {
        define(CART);
        String older = customerOf(apply(consenting("o-old")));
        advance(Duration.ofMinutes(1));
        io.omnihub.connector.event.Identity phone = io.omnihub.connector.event.Identity.phone("+8613912345678");
        String younger = customerOf(apply(io.omnihub.connector.event.CustomerEvent.builder("pos:1", "cart.updated").source("pos", "store")
                .time(clock.instant()).receivedAt(clock.instant()).identity(phone)
                .order(new io.omnihub.connector.event.Order("cart-pos", null, "CNY", 500_000, List.of())).build()));
        assertThat(automation.views().enrollments("cart", "active", younger, 10)).hasSize(1);

        // one event shows both are the same person: the younger profile merges into the older
        apply(event("profile.updated", "o-old").identity(phone).build());

        assertThat(automation.views().enrollments("cart", "active", older, 10)).hasSize(1);
        advance(Duration.ofDays(1));
        fireTimers();
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.customerId()).isEqualTo(older);
            assertThat(a.recipient().value()).isEqualTo("o-old");
        });
    }

    @Test
    void automationThatFailsForOneEventSkipsOnlyThatEventsAutomationAndAFailingTimerIsSetAside() throws Exception {
        define(CART + """
                rules:
                  - id: hello
                    on: profile.updated
                    then: [ { tag: hello } ]
                """);
        apply(consenting("o-broken"));
        apply(cart("o-broken", 300_000));
        apply(cart("o-fine", 300_000));
        // the stored version of the journey the first customer runs on is lost, and the journey changed since
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("delete from crm_journey_version");
        }
        define(CART.replace("T1", "T9") + """
                rules:
                  - id: hello
                    on: profile.updated
                    then: [ { tag: hello } ]
                """);

        BatchResult r = apply(event("order.paid", "o-broken").order(new io.omnihub.connector.event.Order("P", "PAID", "CNY", 1, List.of())).build(),
                event("profile.updated", "o-other").build());

        assertThat(r.outcomes()).extracting(BatchResult.Outcome::status).containsOnly(BatchResult.Status.APPLIED);
        assertThat(core.customer(r.outcomes().get(1).customerId()).orElseThrow().tags()).containsExactly("hello");
        advance(Duration.ofDays(1));
        assertThat(fireTimers()).isEqualTo(2);
        assertThat(count("select count(*) from crm_timer where outcome like 'failed:%not stored%'")).isEqualTo(2);
    }

    @Test
    void aDuplicateEventChangesNothing() {
        define(CART);
        io.omnihub.connector.event.CustomerEvent cart = cart("o-d", 300_000);
        apply(cart);
        BatchResult again = core.apply(List.of(cart));

        assertThat(again.outcomes().get(0).status()).isEqualTo(BatchResult.Status.DUPLICATE);
        assertThat(automation.views().enrollments("cart", null, null, 10)).hasSize(1);
    }
}
