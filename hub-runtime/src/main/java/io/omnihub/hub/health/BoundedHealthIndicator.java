package io.omnihub.hub.health;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health check that answers within its {@link HealthChecks} round: the delegate's own answer when
 * it comes in time, DOWN naming the wait otherwise.
 */
final class BoundedHealthIndicator implements HealthIndicator {

    private final HealthIndicator delegate;
    private final HealthChecks checks;
    private CompletableFuture<Health> running;
    private Instant runningSince;

    BoundedHealthIndicator(HealthIndicator delegate, HealthChecks checks) {
        this.delegate = delegate;
        this.checks = checks;
        checks.register(this);
    }

    @Override
    public Health health() {
        HealthChecks.Round round = checks.round();
        CompletableFuture<Health> answer;
        Instant since;
        synchronized (this) {
            startUnlessRunning();
            answer = running;
            since = runningSince;
        }
        try {
            return answer.get(round.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetail("error", "no answer within " + checks.budget().toMillis() + " ms")
                    .withDetail("waitingSince", since.toString())
                    .build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().withDetail("error", "interrupted").build();
        }
    }

    /** Starts the delegate's check unless the previous one is still running. */
    synchronized void startUnlessRunning() {
        if (running == null || running.isDone()) {
            runningSince = Instant.now();
            running = CompletableFuture.supplyAsync(this::checkSafely, checks.executor());
        }
    }

    private Health checkSafely() {
        try {
            Health health = delegate.health();
            return health == null ? Health.unknown().build() : health;
        } catch (RuntimeException e) {
            return Health.down(e).build();
        }
    }
}
