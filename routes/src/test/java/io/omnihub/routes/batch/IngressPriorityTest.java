package io.omnihub.routes.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnihub.routes.broker.InVmBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * While the ingress has many sends in flight, a stage leaves its messages waiting on the broker
 * instead of taking the cores from the request threads; it takes them once the ingress calms down,
 * or once it has waited its longest pause, so it never starves.
 */
class IngressPriorityTest {

    @AutoClose
    private final WorkQueueRoute route = new WorkQueueRoute();
    private final InVmBroker broker = route.broker();
    /** The ingress's sends in flight, as the stage sees them. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** How often the stage looked at the ingress. */
    private final AtomicInteger looks = new AtomicInteger();
    private final AtomicInteger processed = new AtomicInteger();

    IngressPriorityTest() throws Exception {
    }

    @Test
    void aStageLeavesItsBacklogOnTheBrokerWhileTheIngressIsBusyAndTakesItOnceItCalmsDown() throws Exception {
        inFlight.set(50);
        run(new IngressPriority(this::watchedInFlight, 10, Duration.ofMinutes(10).toMillis()), "");
        broker.send(WorkQueueRoute.WORK, "one", "two", "three");

        // The stage keeps looking at the busy ingress, and all the while leaves the messages queued.
        int seen = looks.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> looks.get() >= seen + 20);
        assertThat(processed.get()).isZero();
        assertThat(broker.depth(WorkQueueRoute.WORK)).isEqualTo(3);

        inFlight.set(9);

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.get() == 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth(WorkQueueRoute.WORK) == 0);
    }

    @Test
    void aStageThatHasWaitedItsLongestPauseTakesABatchThoughTheIngressStaysBusy() throws Exception {
        inFlight.set(50);
        run(new IngressPriority(this::watchedInFlight, 10, 200), "");
        broker.send(WorkQueueRoute.WORK, "one", "two", "three");

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.get() == 3);
        assertThat(inFlight.get()).isEqualTo(50);
        assertThat(looks.get()).isPositive();
    }

    @Test
    void anEndpointThatOptsOutNeverWaitsForTheIngress() throws Exception {
        inFlight.set(50);
        run(new IngressPriority(this::watchedInFlight, 10, Duration.ofMinutes(10).toMillis()), "&yieldToIngress=false");
        broker.send(WorkQueueRoute.WORK, "one", "two", "three");

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.get() == 3);
        assertThat(looks.get()).isZero();
    }

    private int watchedInFlight() {
        looks.incrementAndGet();
        return inFlight.get();
    }

    private void run(IngressPriority priority, String options) throws Exception {
        route.start(() -> false, priority, "consumers=1&batchSize=10" + options,
                exchange -> processed.addAndGet(exchange.getIn().getBody(List.class).size()));
    }
}
