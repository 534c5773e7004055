package io.omnihub.routes.poll;

import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.ConnectorRegistry.RunningInstance;
import io.omnihub.routes.InstanceUnavailableException;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.RawRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Visits every running instance that polls, when its poll is due: takes the instance's cluster-wide
 * lease, polls from the committed checkpoint, makes the records durable on {@code hub.raw}, and only
 * then commits the poller's next checkpoint (DESIGN §4). A crash anywhere before the commit offers
 * the same checkpoint again; the records' deterministic event ids make the repeat harmless.
 *
 * <p>A failing poll is retried with exponential backoff per instance (a rate-limited one after the
 * channel's {@code retryAfter}); nothing is committed, so nothing is skipped.
 *
 * <p>Polls are paced in elapsed time ({@code System::nanoTime} in the hub), not by the hub's clock:
 * a wall clock stepped back would otherwise stop polling for as long as the step.
 */
public final class PollStage implements Processor {

    public static final String STAGE = "poll";
    private static final Logger LOG = LoggerFactory.getLogger(PollStage.class);
    /** How long a batch may take to become durable before the poll counts as failed. */
    private static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(30);
    /** Successive batches taken at once when a poller says it has more, before others get a turn. */
    private static final int MAX_BATCHES_PER_VISIT = 10;

    private final ConnectorRegistry registry;
    private final PollLeases leases;
    private final RecordSink sink;
    private final Backoff backoff;
    private final LongSupplier nanoTime;
    private final Executor polls;
    private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
    /** Instances being polled now: a slow channel is never polled twice at once, nor holds the others up. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private record Schedule(long dueNanos, int failures) {
    }

    /** Polls each instance on the calling thread, one after the other. */
    public PollStage(ConnectorRegistry registry, PollLeases leases, RecordSink sink, Backoff backoff, LongSupplier nanoTime) {
        this(registry, leases, sink, backoff, nanoTime, Runnable::run);
    }

    /**
     * @param nanoTime a monotonic ticker in nanoseconds that paces the polls
     * @param polls    where the instances' polls run; with a pool, a slow or hanging channel delays only
     *                 its own instance
     */
    public PollStage(ConnectorRegistry registry, PollLeases leases, RecordSink sink, Backoff backoff, LongSupplier nanoTime,
                     Executor polls) {
        this.registry = registry;
        this.leases = leases;
        this.sink = sink;
        this.backoff = backoff;
        this.nanoTime = nanoTime;
        this.polls = polls;
    }

    @Override
    public void process(Exchange exchange) {
        pollDueInstances();
    }

    /** One pass over the running instances; polls those that are due. */
    public void pollDueInstances() {
        for (RunningInstance running : registry.running()) {
            Optional<Poller> poller;
            try {
                poller = running.instance().poller();
            } catch (InstanceUnavailableException e) {
                continue; // closed since the list was read
            }
            if (poller.isEmpty()) {
                continue;
            }
            String key = running.connectorId() + "/" + running.instanceId();
            Schedule schedule = schedules.get(key);
            if (schedule != null && nanoTime.getAsLong() - schedule.dueNanos() < 0) {
                continue;
            }
            if (!inFlight.add(key)) {
                continue;
            }
            int failuresSoFar = schedule == null ? 0 : schedule.failures();
            try {
                polls.execute(() -> {
                    try {
                        schedules.put(key, visit(running, poller.get(), failuresSoFar));
                    } finally {
                        inFlight.remove(key);
                    }
                });
            } catch (RejectedExecutionException e) {
                // The pool is full or shutting down: try again on a later pass.
                inFlight.remove(key);
            }
        }
    }

    private Schedule visit(RunningInstance running, Poller poller, int failuresSoFar) {
        Optional<PollLeases.PollLease> acquired = leases.tryAcquire(running.connectorId(), running.instanceId());
        if (acquired.isEmpty()) {
            // Another node polls this instance now; look again after an interval.
            return after(intervalOf(poller), 0);
        }
        try (PollLeases.PollLease lease = acquired.get()) {
            Optional<String> checkpoint = lease.checkpoint();
            for (int batch = 0; batch < MAX_BATCHES_PER_VISIT; batch++) {
                PollResult result = poller.poll(checkpoint);
                List<BrokerMessage> messages = result.records().stream()
                        .map(r -> RawRecords.toMessage(running.connectorId(), running.instanceId(), r))
                        .toList();
                awaitDurable(messages);
                lease.commit(result.nextCheckpoint());
                checkpoint = Optional.of(result.nextCheckpoint());
                committed(running, poller, result.nextCheckpoint());
                if (!result.hasMore()) {
                    return after(intervalOf(poller), 0);
                }
            }
            return after(Duration.ZERO, 0);
        } catch (ConfigException e) {
            LOG.warn("poll of {}/{} refused for good: {}", running.connectorId(), running.instanceId(), e.getMessage());
            registry.failed(running.connectorId(), running.instanceId(), e.getMessage());
            return after(intervalOf(poller), failuresSoFar + 1);
        } catch (InstanceUnavailableException e) {
            // Closed during the visit (stopped, restarted, its plugin going): not the channel's failure.
            // What was committed stands; the instance that replaces it, if any, polls on the next pass.
            LOG.debug("poll of {}/{} ended early: {}", running.connectorId(), running.instanceId(), e.getMessage());
            return after(Duration.ZERO, failuresSoFar);
        } catch (RuntimeException e) {
            if (e instanceof RateLimitedException refusal) {
                registry.rateLimited(running.connectorId(), running.instanceId(), refusal);
            }
            int failures = failuresSoFar + 1;
            Duration atLeast = e instanceof RateLimitedException limited ? limited.retryAfter() : Duration.ZERO;
            Duration delay = backoff.delayAfter(failures, atLeast);
            LOG.warn("poll of {}/{} failed ({} in a row), next try in {}: {}: {}", running.connectorId(),
                    running.instanceId(), failures, delay, e.getClass().getSimpleName(), e.getMessage());
            return after(delay, failures);
        }
    }

    /** The poller's interval; none for an instance closed meanwhile, whose replacement has its own. */
    private static Duration intervalOf(Poller poller) {
        try {
            return poller.interval();
        } catch (InstanceUnavailableException e) {
            return Duration.ZERO;
        }
    }

    private Schedule after(Duration delay, int failures) {
        return new Schedule(nanoTime.getAsLong() + delay.toNanos(), failures);
    }

    private static void committed(RunningInstance running, Poller poller, String checkpoint) {
        try {
            poller.committed(checkpoint);
        } catch (RuntimeException e) {
            // The commit stands; the poller tidies up on its next poll instead.
            LOG.warn("{}/{} could not tidy up after checkpoint commit: {}", running.connectorId(),
                    running.instanceId(), e.toString());
        }
    }

    private void awaitDurable(List<BrokerMessage> messages) {
        try {
            sink.appendAll(messages).get(DURABLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while persisting polled records", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("polled records could not be persisted: " + e, e);
        }
    }
}
