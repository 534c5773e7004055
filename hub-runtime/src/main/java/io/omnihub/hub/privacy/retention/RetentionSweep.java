package io.omnihub.hub.privacy.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.omnihub.crm.SweepClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily retention sweep: on the first node to {@link SweepClaims claim} the day (job
 * {@value #JOB}, period the date in {@link RetentionProperties#getZone()}), each kind of data older
 * than its period is swept by its {@link Sweeper}. Data on the broker is swept with it when the nodes
 * share one broker; a node with an embedded broker of its own sweeps its own queues under a claim of
 * its own ({@code retention@<node>}). Counts go to the metric
 * {@code hub.privacy.retention.swept} (tag {@code kind}), the log and {@link RetentionRuns}; never
 * what was swept. A kind that fails does not stop the others; the next day's sweep catches up, as
 * each sweep takes everything older than its cutoff.
 */
public final class RetentionSweep {

    /** The job's name in {@code crm_sweep_claim}. */
    public static final String JOB = "retention";

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    /** Sweeps one kind: changes or removes what is older than {@code before}, in batches; returns how many. */
    @FunctionalInterface
    public interface Sweeper {
        long sweep(Instant before, int batchSize);
    }

    private final RetentionProperties properties;
    private final Clock clock;
    private final SweepClaims claims;
    private final String node;
    private final String brokerJob;
    private final Map<RetentionKind, Sweeper> sweepers;
    private final RetentionRuns runs;
    private final Map<RetentionKind, Counter> swept = new EnumMap<>(RetentionKind.class);

    /**
     * @param ownBroker whether this node's broker is its own (embedded) rather than shared by the nodes
     */
    public RetentionSweep(RetentionProperties properties, Clock clock, SweepClaims claims, String node, boolean ownBroker,
                          Map<RetentionKind, Sweeper> sweepers, RetentionRuns runs, MeterRegistry meters) {
        this.properties = properties;
        this.clock = clock;
        this.claims = claims;
        this.node = node;
        this.brokerJob = ownBroker ? JOB + "@" + node : JOB;
        this.sweepers = Map.copyOf(sweepers);
        this.runs = runs;
        for (RetentionKind kind : RetentionKind.values()) {
            swept.put(kind, Counter.builder("hub.privacy.retention.swept")
                    .description("Rows or messages the retention sweep changed or removed, by kind of data")
                    .tag("kind", kind.id()).register(meters));
        }
    }

    /**
     * Sweeps today's period when it is due (past {@link RetentionProperties#getStartAt()}) and no
     * node has swept it or is sweeping it.
     *
     * @return whether this node swept anything
     */
    public boolean runDue() {
        ZonedDateTime now = clock.instant().atZone(properties.getZone());
        if (!properties.isEnabled() || now.toLocalTime().isBefore(properties.getStartAt())) {
            return false;
        }
        String period = now.toLocalDate().toString();
        boolean swept = false;
        if (claims.claim(JOB, period, properties.getLease())) {
            claims.finish(JOB, period, sweep(period, now.toInstant(), kind -> !kind.onBroker() || brokerJob.equals(JOB)));
            swept = true;
        }
        if (!brokerJob.equals(JOB) && claims.claim(brokerJob, period, properties.getLease())) {
            claims.finish(brokerJob, period, sweep(period, now.toInstant(), RetentionKind::onBroker));
            swept = true;
        }
        return swept;
    }

    private String sweep(String period, Instant now, java.util.function.Predicate<RetentionKind> included) {
        List<String> counts = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<RetentionKind, Duration> limit : properties.periods().entrySet()) {
            RetentionKind kind = limit.getKey();
            Sweeper sweeper = sweepers.get(kind);
            if (sweeper == null || !included.test(kind)) {
                continue;
            }
            Instant cutoff = now.minus(limit.getValue());
            try {
                long count = sweeper.sweep(cutoff, properties.getBatchSize());
                swept.get(kind).increment(count);
                runs.record(kind, new RetentionRuns.Run(period, node, clock.instant(), cutoff, count, null));
                counts.add(kind.id() + " " + count);
            } catch (RuntimeException e) {
                // The exception's type only: its message may quote a row.
                String error = e.getClass().getSimpleName() + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getSimpleName() + ")");
                log.warn("Retention sweep of {} for {} failed: {}", kind.id(), period, error, e);
                runs.record(kind, new RetentionRuns.Run(period, node, clock.instant(), cutoff, 0, error));
                failed.add(kind.id());
            }
        }
        String outcome = String.join(", ", counts) + (failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed));
        log.info("Retention sweep for {} on {}: {}", period, node, outcome);
        return outcome;
    }
}
