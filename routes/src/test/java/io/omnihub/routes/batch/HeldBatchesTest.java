package io.omnihub.routes.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.InVmBroker;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A stage whose database or broker fails holds its batch, unacknowledged, and tries it again until
 * it goes through: the failure uses none of the message's delivery attempts, so however long it
 * lasts nothing is parked because of it, and what the batch produces is sent once.
 */
class HeldBatchesTest {

    @AutoClose
    private final WorkQueueRoute route = new WorkQueueRoute();
    private final InVmBroker broker = route.broker();
    private final AtomicBoolean deadLettersFull = new AtomicBoolean();

    HeldBatchesTest() throws Exception {
    }

    @Test
    void aDatabaseOutageLongerThanTheDeliveryAttemptsParksNothingAndSendsTheOutputOnce() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        int outageTries = WorkQueueRoute.MAX_DELIVERIES * 3;
        run(exchange -> {
            if (tries.incrementAndGet() <= outageTries) {
                throw new IllegalStateException("could not apply batch",
                        new SQLException("Connection to localhost:5432 refused", "08001"));
            }
            output(exchange).send(BrokerMessage.to(WorkQueueRoute.OUT, "applied".getBytes(), Map.of()));
        });

        broker.send(WorkQueueRoute.WORK, "event");

        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth(WorkQueueRoute.OUT) == 1);
        assertThat(tries.get()).isEqualTo(outageTries + 1);
        assertThat(broker.depth(Queues.DLQ)).isZero();
        assertThat(broker.depth(WorkQueueRoute.WORK)).isZero();
        assertThat(broker.depth(WorkQueueRoute.OUT)).isEqualTo(1);
    }

    @Test
    void aFailureOfTheMessageItselfStillUsesUpItsDeliveryAttemptsAndIsParkedByTheBroker() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        run(exchange -> {
            tries.incrementAndGet();
            throw new IllegalStateException("a bug in the stage");
        });

        broker.send(WorkQueueRoute.WORK, "poison");

        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth(Queues.DLQ) == 1);
        assertThat(tries.get()).isEqualTo(WorkQueueRoute.MAX_DELIVERIES);
    }

    @Test
    void aBatchWithSomethingToParkWaitsWhileTheDeadLetterQueueIsFull() throws Exception {
        deadLettersFull.set(true);
        AtomicInteger tries = new AtomicInteger();
        run(exchange -> {
            tries.incrementAndGet();
            output(exchange).send(BrokerMessage.to(Queues.DLQ, "bad input".getBytes(), Map.of()));
        });

        broker.send(WorkQueueRoute.WORK, "bad");
        await().atMost(Duration.ofSeconds(30)).until(() -> tries.get() >= WorkQueueRoute.MAX_DELIVERIES + 2);
        assertThat(broker.depth(Queues.DLQ)).isZero();

        deadLettersFull.set(false);

        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth(Queues.DLQ) == 1);
        assertThat(broker.depth(WorkQueueRoute.WORK)).isZero();
    }

    private void run(Processor stage) throws Exception {
        route.start(deadLettersFull::get, IngressPriority.NONE,
                "consumers=1&batchSize=10&failurePauseMillis=20&maxHoldPauseMillis=100", stage);
    }

    private static StageOutput output(Exchange exchange) {
        return exchange.getProperty(JmsBatchComponent.OUTPUT, StageOutput.class);
    }
}
