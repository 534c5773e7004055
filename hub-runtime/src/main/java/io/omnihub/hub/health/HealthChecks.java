package io.omnihub.hub.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the hub's health checks side by side and bounds how long asking for health takes, so
 * {@code /actuator/health} answers within its budget even while a dependency hangs (a database that
 * accepts connections but never answers, a broker that stopped reading), and says which one.
 *
 * <p>Asking any check starts a <em>round</em>: every check whose previous run has finished starts
 * again at once, in parallel; each answer is waited for until the round's budget is spent. A check
 * still running then reads DOWN ("no answer within ..."), and keeps running in the background: a
 * hanging dependency ties up one thread per check, never one per request.
 */
public final class HealthChecks implements AutoCloseable {

    private final Duration budget;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "health-check");
        thread.setDaemon(true);
        return thread;
    });
    private final List<BoundedHealthIndicator> checks = new CopyOnWriteArrayList<>();
    private Round round;

    /** @param budget how long one ask for health may wait for the checks */
    public HealthChecks(Duration budget) {
        this.budget = budget;
    }

    /** The budget every check of a round shares. */
    public Duration budget() {
        return budget;
    }

    void register(BoundedHealthIndicator check) {
        checks.add(check);
    }

    ExecutorService executor() {
        return executor;
    }

    /** The current round, started now unless one started less than a budget ago. */
    synchronized Round round() {
        long now = System.nanoTime();
        if (round == null || now - round.startedNanos >= budget.toNanos()) {
            round = new Round(now, now + budget.toNanos(), Instant.now());
            checks.forEach(BoundedHealthIndicator::startUnlessRunning);
        }
        return round;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** One wave of checks and the moment they must have answered by. */
    record Round(long startedNanos, long deadlineNanos, Instant startedAt) {

        long remainingNanos() {
            return Math.max(0, deadlineNanos - System.nanoTime());
        }
    }
}
