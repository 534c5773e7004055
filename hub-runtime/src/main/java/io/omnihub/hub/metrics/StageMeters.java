package io.omnihub.hub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.privacy.PersonalDataMasker;
import io.omnihub.hub.logging.SecretValues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters per connector instance and stage, fed by every stage of the pipeline:
 *
 * <ul>
 *   <li>{@code hub.stage.messages} (counter; connector, instance, stage, outcome {@code ok}, {@code retried},
 *       {@code dead_lettered}, {@code refused});</li>
 *   <li>{@code hub.stage.duration} (timer; connector, instance, stage): the time a stage spent on a message;</li>
 *   <li>{@code hub.pipeline.latency} (timer with histogram and p95; connector, instance): from the hub
 *       receiving a channel's record to the CRM core applying its event.</li>
 * </ul>
 *
 * <p>It also keeps, per instance, the last minute's counts and the last stage error for the board.
 */
public class StageMeters implements StageObserver {

    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, InstanceMeters> byInstance = new ConcurrentHashMap<>();

    public StageMeters(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void handled(String stage, String connector, String instance, Outcome outcome, Duration took, String error) {
        InstanceMeters meters = meters(connector, instance);
        meters.counter(stage, outcome).increment();
        if (!took.isZero()) {
            meters.timer(stage).record(took);
        }
        boolean failure = outcome != Outcome.OK;
        meters.window.record(failure);
        if (failure && error != null) {
            meters.lastError = new LastError(mask(stage + ": " + error), clock.instant());
        }
    }

    /** Counts {@code hub.privacy.suppressed}: events the core left out because they carry an erased customer's identifier. */
    @Override
    public void suppressed(String connector, String instance) {
        Counter.builder("hub.privacy.suppressed")
                .description("Events not applied because they carry an identifier of an erased customer")
                .tag("connector", connector == null ? "none" : connector)
                .tag("instance", instance == null ? "none" : instance)
                .register(registry).increment();
    }

    @Override
    public void applied(String connector, String instance, Duration sinceReceived) {
        InstanceMeters meters = meters(connector, instance);
        meters.latency.record(sinceReceived);
        meters.window.applied(sinceReceived.toNanos() / 1e6);
    }

    /**
     * What the board shows of one instance's traffic.
     *
     * @param eventsPerMinute events the core applied in the last minute
     * @param handledPerMinute messages any stage handled in the last minute
     * @param errorRate       share of those that failed, 0..1
     * @param p95LatencyMillis 95th percentile of receipt-to-applied latency over about the last minute, or null without traffic
     * @param lastError       the last stage failure, or null
     */
    public record Activity(long eventsPerMinute, long handledPerMinute, double errorRate, Double p95LatencyMillis, LastError lastError) {
        static final Activity NONE = new Activity(0, 0, 0, null, null);

        /** What the board shows of a minute, this node's or the cluster's. */
        public static Activity of(InstanceMinute minute, LastError lastError) {
            return new Activity(minute.applied(), minute.handled(), minute.errorRate(), minute.p95LatencyMillis(), lastError);
        }
    }

    /**
     * @param message what failed, masked
     * @param at      when
     */
    public record LastError(String message, Instant at) {
    }

    /** The instance's last minute on this node. */
    public Activity activity(String connector, String instance) {
        InstanceMeters meters = byInstance.get(key(connector, instance));
        if (meters == null) {
            return Activity.NONE;
        }
        return Activity.of(meters.window.lastMinute(), meters.lastError);
    }

    /** The instance's last minute on this node, in the form nodes add up. */
    public InstanceMinute minute(String connector, String instance) {
        InstanceMeters meters = byInstance.get(key(connector, instance));
        return meters == null ? InstanceMinute.none() : meters.window.lastMinute();
    }

    /** The last stage failure of an instance, if any. */
    public Optional<LastError> lastError(String connector, String instance) {
        return Optional.ofNullable(byInstance.get(key(connector, instance))).map(m -> m.lastError);
    }

    private InstanceMeters meters(String connector, String instance) {
        String c = connector == null ? UNKNOWN : connector;
        String i = instance == null ? UNKNOWN : instance;
        return byInstance.computeIfAbsent(key(c, i), k -> new InstanceMeters(c, i));
    }

    private static String key(String connector, String instance) {
        return connector + "/" + instance;
    }

    private static String mask(String text) {
        return PersonalDataMasker.mask(text, SecretValues.all());
    }

    private final class InstanceMeters {
        private final String connector;
        private final String instance;
        private final Map<String, Counter> counters = new ConcurrentHashMap<>();
        private final Map<String, Timer> timers = new ConcurrentHashMap<>();
        private final Timer latency;
        private final RollingWindow window = new RollingWindow(clock);
        private volatile LastError lastError;

        InstanceMeters(String connector, String instance) {
            this.connector = connector;
            this.instance = instance;
            this.latency = Timer.builder("hub.pipeline.latency")
                    .description("From the hub receiving a channel's record to the CRM core applying its event")
                    .tags("connector", connector, "instance", instance)
                    .publishPercentiles(0.95)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(1))
                    .distributionStatisticExpiry(RollingWindow.SPAN)
                    .distributionStatisticBufferLength(2)
                    .register(registry);
        }

        Counter counter(String stage, Outcome outcome) {
            String outcomeTag = outcome.name().toLowerCase(Locale.ROOT);
            return counters.computeIfAbsent(stage + "|" + outcomeTag, k -> Counter.builder("hub.stage.messages")
                    .description("Messages each stage handled, by outcome")
                    .tags("connector", connector, "instance", instance, "stage", stage, "outcome", outcomeTag)
                    .register(registry));
        }

        Timer timer(String stage) {
            return timers.computeIfAbsent(stage, k -> Timer.builder("hub.stage.duration")
                    .description("Time a stage spent on one message")
                    .tags("connector", connector, "instance", instance, "stage", stage)
                    .register(registry));
        }
    }
}
