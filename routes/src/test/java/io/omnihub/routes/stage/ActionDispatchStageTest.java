package io.omnihub.routes.stage;

import io.omnihub.testsupport.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionParser;
import io.omnihub.crm.automation.Definitions;
import io.omnihub.crm.automation.GuardSettings;
import io.omnihub.crm.automation.PlannedAction;
import io.omnihub.routes.ActionDispatchRoute;
import io.omnihub.routes.InstancePausedException;
import io.omnihub.routes.Queues;
import io.omnihub.routes.action.ActionMessages;
import io.omnihub.routes.batch.IngressPriority;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetterCapacity;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.broker.InVmBroker;
import jakarta.jms.Connection;
import jakarta.jms.Session;
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
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatch stage against a real database for outcomes and a scripted channel. */
class ActionDispatchStageTest extends AutomationDatabase {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);

    Automation automation;
    CrmCore core;
    final ScriptedSender channel = new ScriptedSender();
    boolean instanceRunning = true;
    final List<BrokerMessage> output = new ArrayList<>();
    ActionDispatchStage stage;
    final ActionMessages messages = new ActionMessages();

    @BeforeEach
    void fresh() throws Exception {
        emptyTables();
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
    void actionsGoOutWhileABusyIngressHoldsTheStagesBehindIt() throws Exception {
        BrokerMessage action = plannedAction("o-12");
        // An ingress with far more sends in flight than the stages yield to, for as long as the test runs.
        IngressPriority busyIngress = new IngressPriority(() -> 1_000, 8, Duration.ofMinutes(10).toMillis());
        try (InVmBroker broker = InVmBroker.start(InVmBroker.inMemory(), Queues.ACTIONS, Queues.DLQ);
             CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("jms-batch", new JmsBatchComponent(broker.factory(), DeadLetterCapacity.UNKNOWN, busyIngress));
            camel.addRoutes(new ActionDispatchRoute(stage, 1));
            camel.start();
            try (Connection connection = broker.factory().createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue(Queues.ACTIONS)).send(action.toJms(session));
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> record(action).status().equals("sent"));
        }
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

    @Test
    void twoCopiesOfOneActionDispatchedAtOnceSendItOnce() throws Exception {
        BrokerMessage action = plannedAction("o-7");
        java.util.concurrent.CountDownLatch inChannel = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        channel.behaviour = a -> {
            inChannel.countDown();
            try {
                answer.await(5, java.util.concurrent.TimeUnit.SECONDS); // bounded: a second send must not hang the test
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new ActionResult("msg-7", "template message sent");
        };
        Thread first = new Thread(() -> dispatch(action));
        first.start();
        assertThat(inChannel.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        dispatch(action); // the second copy, while the first is with the channel

        assertThat(channel.received).hasSize(1);
        assertThat(output).singleElement().satisfies(held -> {
            assertThat(held.queue()).isEqualTo(Queues.ACTIONS);
            assertThat(held.intProperty(Headers.ATTEMPTS, 0)).isZero();
            assertThat(held.longProperty(Headers.SCHEDULED_DELIVERY, 0)).isGreaterThan(CLOCK.millis());
        });
        answer.countDown();
        first.join(10_000);
        assertThat(record(action).status()).isEqualTo("sent");

        dispatch(output.remove(0)); // the held copy, looked at again
        assertThat(channel.received).hasSize(1);
        assertThat(output).isEmpty();
    }

    @Test
    void anActionQueuedTwiceBecauseTheOutboxCouldNotCommitIsSentOnce() {
        Identity id = Identity.of("wechat_openid", "o-8", "wxapp");
        core.apply(List.of(CustomerEvent.builder("e-o-8", "customer.followed").source("wechat", "brand-oa")
                .time(CLOCK.instant()).receivedAt(CLOCK.instant()).identity(id).consent(new Consent(null, true)).build()));
        List<PlannedAction> persistedByTheBroker = new ArrayList<>();
        try {
            automation.outbox().drainOutbox(10, actions -> {
                persistedByTheBroker.addAll(actions);
                throw new IllegalStateException("the database commit fails after the broker took the actions");
            });
        } catch (RuntimeException expected) {
            // the rows stay planned
        }
        BrokerMessage firstCopy = messages.toActions(persistedByTheBroker.get(0));

        dispatch(firstCopy); // its row is still planned: held, while the outbox hands it over again
        BrokerMessage held = output.remove(0);
        assertThat(held.intProperty(Headers.ATTEMPTS, 0)).isZero();
        assertThat(channel.received).isEmpty();
        List<PlannedAction> again = new ArrayList<>();
        automation.outbox().drainOutbox(10, again::addAll);
        dispatch(messages.toActions(again.get(0)));
        dispatch(held);

        assertThat(channel.received).hasSize(1);
        assertThat(record(firstCopy).status()).isEqualTo("sent");
        assertThat(output).isEmpty();
    }

    @Test
    void aSendWhoseOutcomeCouldNotBeRecordedIsNotRepeatedForAKindWithoutIdempotencyKey() {
        Crash crash = new Crash();
        BrokerMessage action = crash.plannedAction("o-9");

        assertThat(crash.dispatchFailingToRecord(action)).isInstanceOf(PerMessageStage.StageInfrastructureException.class);
        crash.dispatch(action); // the broker delivers the batch again, at once
        assertThat(crash.output).singleElement().satisfies(held -> assertThat(held.queue()).isEqualTo(Queues.ACTIONS));
        crash.clock.advance(ActionDispatchStage.SENDING_LEASE.plusSeconds(1));
        crash.dispatch(crash.output.remove(0));

        assertThat(channel.received).hasSize(1);
        assertThat(crash.output).isEmpty();
        assertThat(record(action).status()).isEqualTo("unknown");
        assertThat(record(action).reason()).contains("not sent again");
        crash.dispatch(action);
        assertThat(channel.received).hasSize(1);
    }

    @Test
    void aSendWhoseOutcomeCouldNotBeRecordedIsRepeatedWithTheSameKeyForAKindThatHasOne() {
        Crash crash = new Crash();
        crash.idempotent = true;
        BrokerMessage action = crash.plannedAction("o-10");

        crash.dispatchFailingToRecord(action);
        crash.clock.advance(ActionDispatchStage.SENDING_LEASE.plusSeconds(1));
        crash.dispatch(action);

        assertThat(channel.received).hasSize(2).extracting(OutboundAction::id).containsOnly(action.stringProperty(ActionMessages.ACTION_ID));
        assertThat(record(action).status()).isEqualTo("sent");
    }

    @Test
    void aPausedInstanceOrOpenCircuitHoldsItsActionsWithoutUsingUpAttempts() {
        BrokerMessage action = plannedAction("o-11");
        stage = new ActionDispatchStage((connector, instance) -> {
            throw new InstancePausedException(connector, instance, "has an open circuit breaker");
        }, messages, automation, new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 3), CLOCK);

        BrokerMessage current = action;
        for (int i = 0; i < 10; i++) {
            dispatch(current);
            current = output.remove(0);
            assertThat(current.queue()).isEqualTo(Queues.ACTIONS);
            assertThat(current.intProperty(Headers.ATTEMPTS, 0)).isZero();
        }

        assertThat(record(action).status()).isEqualTo("queued");
        assertThat(record(action).attempts()).isZero();
        assertThat(channel.received).isEmpty();
    }

    // ------------------------------------------------------------------------------------------

    /** A dispatcher whose database fails on demand, on a clock the test moves. */
    final class Crash {
        final TestClock clock = TestClock.at(CLOCK.instant());
        final List<BrokerMessage> output = new ArrayList<>();
        boolean idempotent;
        volatile boolean databaseDown;
        final Automation automation;
        final ActionDispatchStage stage;

        Crash() {
            DataSource failing = (DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        if (databaseDown && method.getName().equals("getConnection")) {
                            throw new java.sql.SQLException("Connection to localhost:5432 refused", "08001");
                        }
                        try {
                            return method.invoke(ds, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            automation = new Automation(failing, clock, GuardSettings.defaults());
            automation.use(ActionDispatchStageTest.this.automation.definitions());
            stage = new ActionDispatchStage(new io.omnihub.routes.action.ActionTargets() {
                @Override
                public Optional<io.omnihub.connector.action.ActionSender> sender(String connectorId, String instanceId) {
                    return Optional.of(channel);
                }

                @Override
                public boolean carriesIdempotencyKey(String connectorId, String kind) {
                    return idempotent;
                }
            }, messages, automation, new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 3), clock);
        }

        BrokerMessage plannedAction(String openid) {
            return ActionDispatchStageTest.this.plannedAction(openid);
        }

        /** The channel takes the action, then the database is down when its outcome is recorded. */
        RuntimeException dispatchFailingToRecord(BrokerMessage message) {
            Function<OutboundAction, ActionResult> normal = channel.behaviour;
            channel.behaviour = a -> {
                databaseDown = true;
                return normal.apply(a);
            };
            try {
                dispatch(message);
                throw new AssertionError("recording the outcome should have failed");
            } catch (RuntimeException e) {
                return e;
            } finally {
                channel.behaviour = normal;
                databaseDown = false;
            }
        }

        void dispatch(BrokerMessage message) {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.getIn().setBody(List.of(message));
            exchange.setProperty(JmsBatchComponent.OUTPUT, (io.omnihub.routes.batch.StageOutput) output::add);
            stage.process(exchange);
        }
    }

    private BrokerMessage plannedAction(String openid) {
        Identity id = Identity.of("wechat_openid", openid, "wxapp");
        core.apply(List.of(CustomerEvent.builder("e-" + openid, "customer.followed").source("wechat", "brand-oa")
                .time(CLOCK.instant()).receivedAt(CLOCK.instant()).identity(id).consent(new Consent(null, true)).build()));
        List<PlannedAction> planned = new ArrayList<>();
        automation.outbox().drainOutbox(10, planned::addAll);
        assertThat(planned).hasSize(1);
        return messages.toActions(planned.get(0));
    }

    private io.omnihub.crm.automation.ActionRecord record(BrokerMessage action) {
        String id = action.stringProperty(ActionMessages.ACTION_ID);
        return automation.ledger().actions(null, null, null, 100).stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
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
