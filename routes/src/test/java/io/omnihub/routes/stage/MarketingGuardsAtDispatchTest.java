package io.omnihub.routes.stage;

import io.omnihub.testsupport.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.crm.automation.ActionRecord;
import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionParser;
import io.omnihub.crm.automation.Definitions;
import io.omnihub.crm.automation.GuardSettings;
import io.omnihub.crm.automation.PlannedAction;
import io.omnihub.routes.Queues;
import io.omnihub.routes.action.ActionMessages;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guards that can change while a marketing message waits on {@code hub.actions} (consent, quiet
 * hours) are asked again right before each send, first or retry.
 */
class MarketingGuardsAtDispatchTest extends AutomationDatabase {

    final TestClock clock = TestClock.at(Instant.parse("2026-03-02T02:00:00Z")); // 10:00 in Shanghai
    final List<BrokerMessage> output = new ArrayList<>();
    final ActionMessages messages = new ActionMessages();
    final Channel channel = new Channel();
    Automation automation;
    CrmCore core;
    ActionDispatchStage stage;
    int eventSeq;

    @BeforeEach
    void fresh() throws Exception {
        emptyTables();
        automation = new Automation(ds, clock, GuardSettings.defaults());
        automation.use(new Definitions.Builder().add(DefinitionParser.parseFile("t.yaml", """
                rules:
                  - id: promo
                    on: profile.updated
                    then:
                      - send: { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                                payload: { template_id: PROMO } }
                  - id: receipt
                    on: customer.followed
                    then:
                      - send: { marketing: false, connector: wechat, instance: brand-oa, kind: wechat.template,
                                recipient: wechat_openid, payload: { template_id: RECEIPT } }
                """)).build());
        core = new CrmCore(ds, IdentityPolicy.defaults(), clock, automation);
        stage = new ActionDispatchStage((connector, instance) -> Optional.of(channel), messages, automation,
                new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 3), clock);
    }

    @Test
    void consentWithdrawnWhileTheMessageIsQueuedStopsItAndTheSuppressionIsRecorded() {
        apply("consent.changed", "o-1", true);
        BrokerMessage promo = queued("profile.updated", "o-1");

        apply("consent.changed", "o-1", false);
        dispatch(promo);

        assertThat(channel.received).isEmpty();
        assertThat(output).isEmpty();
        assertThat(record(promo).status()).isEqualTo("suppressed");
        assertThat(record(promo).reason()).startsWith("consent: the customer declined marketing");

        dispatch(promo); // a redelivery
        assertThat(channel.received).isEmpty();
    }

    @Test
    void aRetryThatWouldLandInQuietHoursIsHeldToTheirEndWithoutUsingAnAttempt() {
        clock.set(Instant.parse("2026-03-02T12:59:50Z")); // 20:59:50 in Shanghai
        apply("consent.changed", "o-2", true);
        BrokerMessage promo = queued("profile.updated", "o-2");
        channel.behaviour = a -> {
            throw new TransientException("WeChat answered 503");
        };
        dispatch(promo);
        BrokerMessage retry = output.remove(0);
        assertThat(retry.intProperty(Headers.ATTEMPTS, 0)).isEqualTo(1);

        channel.behaviour = a -> new ActionResult("msg-2", "template message sent");
        clock.advance(Duration.ofSeconds(20)); // the retry comes at 21:00:10: quiet hours
        dispatch(retry);

        assertThat(channel.received).hasSize(1); // only the first attempt
        Instant eightAm = Instant.parse("2026-03-03T00:00:00Z");
        assertThat(output).singleElement().satisfies(held -> {
            assertThat(held.queue()).isEqualTo(Queues.ACTIONS);
            assertThat(held.intProperty(Headers.ATTEMPTS, 0)).as("no attempt used").isEqualTo(1);
            assertThat(held.longProperty(Headers.SCHEDULED_DELIVERY, 0)).isEqualTo(eightAm.toEpochMilli());
        });
        assertThat(record(promo).status()).isEqualTo("retrying");
        assertThat(record(promo).attempts()).isEqualTo(1);
        assertThat(record(promo).reason()).isEqualTo("quiet hours: held to " + eightAm);

        clock.set(eightAm);
        dispatch(output.remove(0));
        assertThat(channel.received).hasSize(2);
        assertThat(record(promo).status()).isEqualTo("sent");
    }

    @Test
    void aServiceMessageIsNotHeldByQuietHours() {
        clock.set(Instant.parse("2026-03-02T15:00:00Z")); // 23:00 in Shanghai
        BrokerMessage receipt = queued("customer.followed", "o-3");

        dispatch(receipt);

        assertThat(channel.received).hasSize(1);
        assertThat(record(receipt).status()).isEqualTo("sent");
    }

    // ------------------------------------------------------------------------------------------

    private void apply(String type, String openid, boolean marketing) {
        core.apply(List.of(event(type, openid).consent(new Consent(null, marketing)).build()));
    }

    private CustomerEvent.Builder event(String type, String openid) {
        return CustomerEvent.builder("e-" + (++eventSeq), type).source("wechat", "brand-oa").time(clock.instant())
                .receivedAt(clock.instant()).identity(Identity.of("wechat_openid", openid, "wxapp"));
    }

    /** Applies an event that plans one message and drains it from the outbox onto hub.actions. */
    private BrokerMessage queued(String type, String openid) {
        core.apply(List.of(event(type, openid).build()));
        List<PlannedAction> planned = new ArrayList<>();
        automation.outbox().drainOutbox(10, planned::addAll);
        assertThat(planned).hasSize(1);
        return messages.toActions(planned.get(0));
    }

    private ActionRecord record(BrokerMessage action) {
        String id = action.stringProperty(ActionMessages.ACTION_ID);
        return automation.ledger().actions(null, null, null, 100).stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private void dispatch(BrokerMessage message) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(List.of(message));
        exchange.setProperty(JmsBatchComponent.OUTPUT, (StageOutput) output::add);
        stage.process(exchange);
    }

    /** A channel whose answers the test scripts. */
    static final class Channel implements ActionSender {
        final List<OutboundAction> received = new ArrayList<>();
        Function<OutboundAction, ActionResult> behaviour = a -> new ActionResult("msg-1", "template message sent");

        @Override
        public Set<String> kinds() {
            return Set.of("wechat.template");
        }

        @Override
        public ActionResult send(OutboundAction action) {
            received.add(action);
            return behaviour.apply(action);
        }
    }
}
