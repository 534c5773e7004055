package io.omnihub.routes.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stage whose database or broker fails holds its batch, unacknowledged, and tries it again until
 * it goes through: the failure uses none of the message's delivery attempts, so however long it
 * lasts nothing is parked because of it, and what the batch produces is sent once.
 */
class HeldBatchesTest {

    private final InVmBroker broker = new InVmBroker();
    private final ActiveMQConnectionFactory factory = broker.connectionFactory();
    private final AtomicBoolean deadLettersFull = new AtomicBoolean();
    private final CamelContext camel = new DefaultCamelContext();

    HeldBatchesTest() throws Exception {
    }

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        factory.close();
        broker.close();
    }

    @Test
    void aDatabaseOutageLongerThanTheDeliveryAttemptsParksNothingAndSendsTheOutputOnce() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        int outageTries = InVmBroker.MAX_DELIVERIES * 3;
        run(exchange -> {
            if (tries.incrementAndGet() <= outageTries) {
                throw new IllegalStateException("could not apply batch",
                        new SQLException("Connection to localhost:5432 refused", "08001"));
            }
            output(exchange).send(BrokerMessage.to(InVmBroker.OUT, "applied".getBytes(), Map.of()));
        });

        broker.send(InVmBroker.WORK, "event");

        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth(InVmBroker.OUT) == 1);
        assertThat(tries.get()).isEqualTo(outageTries + 1);
        assertThat(broker.depth(Queues.DLQ)).isZero();
        assertThat(broker.depth(InVmBroker.WORK)).isZero();
        assertThat(broker.depth(InVmBroker.OUT)).isEqualTo(1);
    }

    @Test
    void aFailureOfTheMessageItselfStillUsesUpItsDeliveryAttemptsAndIsParkedByTheBroker() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        run(exchange -> {
            tries.incrementAndGet();
            throw new IllegalStateException("a bug in the stage");
        });

        broker.send(InVmBroker.WORK, "poison");

        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth(Queues.DLQ) == 1);
        assertThat(tries.get()).isEqualTo(InVmBroker.MAX_DELIVERIES);
    }

    @Test
    void aBatchWithSomethingToParkWaitsWhileTheDeadLetterQueueIsFull() throws Exception {
        deadLettersFull.set(true);
        AtomicInteger tries = new AtomicInteger();
        run(exchange -> {
            tries.incrementAndGet();
            output(exchange).send(BrokerMessage.to(Queues.DLQ, "bad input".getBytes(), Map.of()));
        });

        broker.send(InVmBroker.WORK, "bad");
        await().atMost(Duration.ofSeconds(30)).until(() -> tries.get() >= InVmBroker.MAX_DELIVERIES + 2);
        assertThat(broker.depth(Queues.DLQ)).isZero();

        deadLettersFull.set(false);

        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth(Queues.DLQ) == 1);
        assertThat(broker.depth(InVmBroker.WORK)).isZero();
    }

    private void run(Processor stage) throws Exception {
        camel.addComponent("jms-batch", new JmsBatchComponent(factory, deadLettersFull::get));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms-batch:" + InVmBroker.WORK + "?consumers=1&batchSize=10&failurePauseMillis=20&maxHoldPauseMillis=100")
                        .process(stage);
            }
        });
        camel.start();
    }

    private static StageOutput output(Exchange exchange) {
        return exchange.getProperty(JmsBatchComponent.OUTPUT, StageOutput.class);
    }
}
