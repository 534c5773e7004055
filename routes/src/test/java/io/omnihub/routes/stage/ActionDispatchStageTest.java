package io.omnihub.routes.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CrmSchema;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionParser;
import io.omnihub.crm.automation.Definitions;
import io.omnihub.crm.automation.GuardSettings;
import io.omnihub.crm.automation.PlannedAction;
import io.omnihub.routes.Queues;
import io.omnihub.routes.action.ActionMessages;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatch stage against a real database for outcomes and a scripted channel. */
class ActionDispatchStageTest {

    static EmbeddedPostgres pg;
    static DataSource ds;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);

    Automation automation;
    CrmCore core;
    final ScriptedSender channel = new ScriptedSender();
    boolean instanceRunning = true;
    final List<BrokerMessage> output = new ArrayList<>();
    ActionDispatchStage stage;
    final ActionMessages messages = new ActionMessages();

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.start();
        ds = pg.getPostgresDatabase();
        CrmSchema.migrate(ds);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate crm_customer cascade");
            s.execute("truncate crm_timeline, crm_processed_event, crm_action, crm_enrollment, crm_timer");
        }
        automation = new Automation(ds, CLOCK, GuardSettings.defaults());
        automation.use(new Definitions.Builder().add(DefinitionParser.parseFile("t.yaml", """
                rules:
                  - id: hello
                    on: customer.followed
                    then:
                      - send:
                          connector: wechat
                          instance: brand-oa
                          kind: wechat.template
                          recipient: wechat_openid
                          payload: { template_id: HELLO, data: { first: hi } }
                """)).build());
        core = new CrmCore(ds, IdentityPolicy.defaults(), CLOCK, automation);
        stage = new ActionDispatchStage((connector, instance) -> {
            assertThat(connector + "/" + instance).isEqualTo("wechat/brand-oa");
            return instanceRunning ? Optional.of(channel) : Optional.empty();
        }, messages, automation, new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 3), CLOCK);
    }

    @Test
    void anActionIsSentWithItsIdAsIdempotencyKeyAndRecordedAsSent() {
        BrokerMessage action = plannedAction("o-1");

        dispatch(action);

        assertThat(channel.received).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(action.stringProperty(ActionMessages.ACTION_ID));
            assertThat(a.kind()).isEqualTo("wechat.template");
            assertThat(a.recipient()).isEqualTo(Identity.of("wechat_openid", "o-1", "wxapp"));
            assertThat(a.payload()).containsEntry("template_id", "HELLO");
        });
        assertThat(output).isEmpty();
        assertThat(record(action).status()).isEqualTo("sent");
        assertThat(record(action).channelReference()).isEqualTo("msg-1");

        dispatch(action); // a redelivery
        assertThat(channel.received).hasSize(1);
    }

    @Test
    void aChannelThatIsDownGetsTheActionAgainAfterABackoffAndTheRetryIsRecorded() {
        BrokerMessage action = plannedAction("o-2");
        channel.behaviour = a -> {
            throw new TransientException("WeChat answered 503");
        };

        dispatch(action);

        assertThat(output).singleElement().satisfies(m -> {
            assertThat(m.queue()).isEqualTo(Queues.ACTIONS);
            assertThat(m.intProperty(Headers.ATTEMPTS, 0)).isEqualTo(1);
            assertThat(m.longProperty(Headers.SCHEDULED_DELIVERY, 0)).isGreaterThan(CLOCK.millis());
        });
        assertThat(record(action).status()).isEqualTo("retrying");
        assertThat(record(action).reason()).contains("WeChat answered 503");

        channel.behaviour = a -> new ActionResult("msg-2", "template message sent");
        BrokerMessage retry = output.remove(0);
        dispatch(retry);
        assertThat(record(action).status()).isEqualTo("sent");
    }

    @Test
    void aRateLimitWaitsAtLeastAsLongAsTheChannelSays() {
        BrokerMessage action = plannedAction("o-3");
        channel.behaviour = a -> {
            throw new RateLimitedException("45009 daily quota", Duration.ofHours(5));
        };

        dispatch(action);

        assertThat(output.get(0).longProperty(Headers.SCHEDULED_DELIVERY, 0)).isGreaterThanOrEqualTo(CLOCK.millis() + Duration.ofHours(5).toMillis());
    }

    @Test
    void badInputIsParkedWithTheReasonAndRecordedAsFailed() {
        BrokerMessage action = plannedAction("o-4");
        channel.behaviour = a -> {
            throw new BadInputException("43004 the user does not follow the account");
        };

        dispatch(action);

        assertThat(output).singleElement().satisfies(m -> {
            assertThat(m.queue()).isEqualTo(Queues.DLQ);
            assertThat(m.stringProperty(Headers.STAGE)).isEqualTo("dispatch");
            assertThat(m.stringProperty(Headers.ERROR_MESSAGE)).contains("43004");
            assertThat(m.stringProperty(Headers.ORIGINAL_QUEUE)).isEqualTo(Queues.ACTIONS);
        });
        assertThat(record(action).status()).isEqualTo("failed");
        assertThat(record(action).reason()).contains("43004").contains("dead-letter queue");
    }

    @Test
    void anInstanceThatIsNotRunningHoldsItsActionsAndTheRetriesEndOnTheDeadLetterQueue() {
        BrokerMessage action = plannedAction("o-5");
        instanceRunning = false;

        BrokerMessage current = action;
        for (int attempt = 1; attempt <= 3; attempt++) {
            dispatch(current);
            current = output.remove(0);
            assertThat(current.queue()).isEqualTo(Queues.ACTIONS);
        }
        dispatch(current);

        assertThat(output).singleElement().satisfies(m -> assertThat(m.queue()).isEqualTo(Queues.DLQ));
        assertThat(record(action).status()).isEqualTo("failed");
        assertThat(record(action).attempts()).isEqualTo(4);
        assertThat(channel.received).isEmpty();
    }

    @Test
    void aKindTheSenderDoesNotKnowIsParked() {
        BrokerMessage action = plannedAction("o-6");
        channel.kinds = Set.of("wechat.subscribe");

        dispatch(action);

        assertThat(output).singleElement().satisfies(m -> {
            assertThat(m.queue()).isEqualTo(Queues.DLQ);
            assertThat(m.stringProperty(Headers.ERROR_MESSAGE)).contains("cannot send actions of kind 'wechat.template'");
        });
    }

    @Test
    void aMessageThatIsNotAnActionIsParked() {
        dispatch(BrokerMessage.to(Queues.ACTIONS, "{\"hello\":1}".getBytes(), Map.of()));

        assertThat(output).singleElement().satisfies(m -> {
            assertThat(m.queue()).isEqualTo(Queues.DLQ);
            assertThat(m.stringProperty(Headers.ERROR_CLASS)).isEqualTo("BadInputException");
        });
    }

    // ------------------------------------------------------------------------------------------

    private BrokerMessage plannedAction(String openid) {
        Identity id = Identity.of("wechat_openid", openid, "wxapp");
        core.apply(List.of(CustomerEvent.builder("e-" + openid, "customer.followed").source("wechat", "brand-oa")
                .time(CLOCK.instant()).receivedAt(CLOCK.instant()).identity(id).consent(new Consent(null, true)).build()));
        List<PlannedAction> planned = new ArrayList<>();
        automation.drainOutbox(10, planned::addAll);
        assertThat(planned).hasSize(1);
        return messages.toActions(planned.get(0));
    }

    private io.omnihub.crm.automation.ActionRecord record(BrokerMessage action) {
        String id = action.stringProperty(ActionMessages.ACTION_ID);
        return automation.actions(null, null, null, 100).stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private void dispatch(BrokerMessage message) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(List.of(message));
        exchange.setProperty(JmsBatchComponent.OUTPUT, (io.omnihub.routes.batch.StageOutput) output::add);
        stage.process(exchange);
    }

    /** A channel whose answers the test scripts. */
    static final class ScriptedSender implements ActionSender {
        final List<OutboundAction> received = new ArrayList<>();
        Set<String> kinds = Set.of("wechat.template");
        Function<OutboundAction, ActionResult> behaviour = a -> new ActionResult("msg-1", "template message sent");

        @Override
        public Set<String> kinds() {
            return kinds;
        }

        @Override
        public ActionResult send(OutboundAction action) {
            received.add(action);
            return behaviour.apply(action);
        }
    }
}
