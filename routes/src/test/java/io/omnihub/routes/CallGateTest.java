package io.omnihub.routes;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CallGateTest {

    private final CallGate gate = new CallGate();

    @Test
    void closingRefusesNewCallsAndReturnsOnlyOnceTheCallsInProgressHaveLeft() throws Exception {
        assertThat(gate.enter()).isTrue();
        assertThat(gate.enter()).isTrue();

        CompletableFuture<Integer> closing = CompletableFuture.supplyAsync(() -> closeWithin(Duration.ofSeconds(10)));
        waitUntilRefused();
        gate.leave();
        Thread.sleep(50);
        assertThat(closing).isNotDone();
        gate.leave();

        assertThat(closing.get(10, SECONDS)).isZero();
        assertThat(gate.enter()).isFalse();
    }

    @Test
    void closingGivesUpAtItsBoundAndSaysHowManyCallsAreStillInProgress() throws Exception {
        gate.enter();
        gate.enter();
        gate.enter();
        gate.leave();

        long started = System.nanoTime();
        int left = gate.close(Duration.ofMillis(100));

        assertThat(left).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(gate.inProgress()).isEqualTo(2);
    }

    @Test
    void aReopenedGateTakesCallsAgainAndKeepsCountingThoseThatOutlivedTheClose() throws Exception {
        gate.enter();
        assertThat(gate.close(Duration.ZERO)).isEqualTo(1);
        assertThat(gate.enter()).isFalse();

        gate.reopen();

        assertThat(gate.enter()).isTrue();
        assertThat(gate.inProgress()).isEqualTo(2);
        gate.leave();
        gate.leave();
        assertThat(gate.close(Duration.ofSeconds(1))).isZero();
    }

    private void waitUntilRefused() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!gate.enter()) {
                return;
            }
            gate.leave();
            Thread.sleep(1);
        }
        throw new AssertionError("the gate never began closing");
    }

    private int closeWithin(Duration bound) {
        try {
            return gate.close(bound);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
