package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest extends AutomationTestBase {

    static final String WELCOME = """
            rules:
              - id: welcome
                on: customer.followed
                then:
                  - send:
                      marketing: false
                      connector: wechat
                      instance: brand-oa
                      kind: wechat.template
                      recipient: wechat_openid
                      payload: { template_id: W }
                  - webhook:
                      target: crm
                      body: { followed: "{{ event.id }}", at: "{{ now }}" }
            """;

    @Test
    void aQueueThatCannotPersistLeavesTheActionsPlannedForTheNextDrain() {
        define(WELCOME);
        String c = customerOf(apply(event("customer.followed", "o-q").build()));

        assertThatThrownBy(() -> automation.outbox().drainOutbox(10, batch -> {
            throw new IllegalStateException("broker down");
        })).hasMessageContaining("broker down");
        assertThat(actions(c)).allSatisfy(a -> assertThat(a.status()).isEqualTo("planned"));

        List<PlannedAction> drained = drain();
        assertThat(drained).hasSize(2);
        assertThat(drained).filteredOn(a -> a.kind().equals("webhook")).singleElement().satisfies(a -> {
            assertThat(a.connector()).isEqualTo("webhook");
            assertThat(a.instance()).isEqualTo("crm");
            assertThat(a.recipient()).isNull();
            assertThat(a.payload()).containsEntry("customerId", c).containsEntry("origin", "rule:welcome");
            assertThat(a.payload().get("body").toString()).contains("followed=test:1").contains("at=" + T0);
        });
        assertThat(actions(c)).allSatisfy(a -> assertThat(a.status()).isEqualTo("queued"));
        assertThat(drain()).isEmpty();
    }

    @Test
    void outcomesAreRecordedAndASentActionStaysSent() {
        define(WELCOME);
        String c = customerOf(apply(event("customer.followed", "o-o").build()));
        List<PlannedAction> drained = drain();
        String template = drained.stream().filter(a -> a.kind().equals("wechat.template")).findFirst().orElseThrow().id();
        String webhook = drained.stream().filter(a -> a.kind().equals("webhook")).findFirst().orElseThrow().id();

        automation.ledger().actionRetrying(template, "WeChat answered 503");
        assertThat(automation.ledger().actionStatus(template)).contains("retrying");
        automation.ledger().actionSent(template, "msg-1", "template message sent");
        automation.ledger().actionFailed(template, "late failure of a duplicate");
        automation.ledger().actionFailed(webhook, "400 Bad Request");

        assertThat(actions(c)).filteredOn(a -> a.id().equals(template)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("sent");
            assertThat(a.channelReference()).isEqualTo("msg-1");
            assertThat(a.attempts()).isEqualTo(2);
            assertThat(a.recipient()).as("short values are masked whole").isEqualTo("***");
        });
        assertThat(automation.ledger().actionStatus(webhook)).contains("failed");
    }

    @Test
    void recipientsAreMaskedInListings() {
        define(WELCOME);
        String c = customerOf(apply(event("customer.followed", "oAbCdEfGhIjKlMn").build()));

        assertThat(actions(c)).filteredOn(a -> a.kind().equals("wechat.template")).singleElement()
                .satisfies(a -> assertThat(a.recipient()).isEqualTo("oAb**********Mn"));
    }
}
