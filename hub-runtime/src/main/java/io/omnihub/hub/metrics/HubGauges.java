package io.omnihub.hub.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.connectors.InstanceState;
import io.omnihub.hub.connectors.InstanceStatus;
import io.omnihub.hub.deadletters.DeadLetterOffice;
import io.omnihub.routes.Queues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Gauges the alert rules in {@code deploy/prometheus} watch, refreshed every
 * {@code hub.console.sample-interval}:
 *
 * <ul>
 *   <li>{@code hub.instance.state} (connector, instance, state): 1 for the state each instance is in, 0 for the others;</li>
 *   <li>{@code hub.dlq.depth} (connector, instance): messages parked on {@code hub.dlq};</li>
 *   <li>{@code hub.queue.depth} and {@code hub.queue.scheduled} (queue): messages waiting on each pipeline queue,
 *       ready and waiting out a retry backoff; the consumer lag. Embedded broker only: an external
 *       broker exports its own queue metrics.</li>
 *   <li>{@code hub.dlq.size.bytes} and {@code hub.dlq.limit.bytes}: what the dead-letter queue holds
 *       and its bound; {@code hub.broker.disk.usage} and {@code hub.broker.disk.limit}: the share of
 *       the journal's disk in use and the share at which the broker blocks writes. Embedded broker
 *       only, like the queue depths.</li>
 * </ul>
 */
public class HubGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HubGauges.class);
    private static final List<String> QUEUES = List.of(Queues.RAW, Queues.EVENTS, Queues.ENRICH, Queues.ACTIONS, Queues.DLQ);

    private final MeterRegistry registry;
    private final ConnectorInstances instances;
    private final DeadLetterOffice deadLetters;
    private final EmbeddedActiveMQ broker;
    private final Duration interval;
    private final MultiGauge instanceState;
    private final MultiGauge deadLetterDepth;
    private ScheduledExecutorService refresher;
    private volatile boolean running;

    /** @param broker the embedded broker, or null with an external one */
    public HubGauges(MeterRegistry registry, ConnectorInstances instances, DeadLetterOffice deadLetters,
                     EmbeddedActiveMQ broker, Duration interval) {
        this.registry = registry;
        this.instances = instances;
        this.deadLetters = deadLetters;
        this.broker = broker;
        this.interval = interval;
        this.instanceState = MultiGauge.builder("hub.instance.state")
                .description("1 for the state a connector instance is in (RUNNING, PAUSED, FAILED, STOPPED), 0 for the others")
                .register(registry);
        this.deadLetterDepth = MultiGauge.builder("hub.dlq.depth")
                .description("Messages parked on hub.dlq, per connector instance")
                .register(registry);
    }

    @Override
    public void start() {
        if (broker != null) {
            for (String queue : QUEUES) {
                Gauge.builder("hub.queue.depth", () -> count(queue, false))
                        .description("Messages ready on a pipeline queue: the consumer lag")
                        .tag("queue", queue)
                        .register(registry);
                Gauge.builder("hub.queue.scheduled", () -> count(queue, true))
                        .description("Messages on a pipeline queue waiting out a retry backoff")
                        .tag("queue", queue)
                        .register(registry);
            }
            Gauge.builder("hub.dlq.size.bytes", () -> server(server -> {
                        Queue queue = server.locateQueue(SimpleString.of(Queues.DLQ));
                        return queue == null ? Double.NaN : queue.getPersistentSize();
                    }))
                    .description("Bytes held by the dead-letter queue, in memory and paged to disk")
                    .baseUnit("bytes")
                    .register(registry);
            Gauge.builder("hub.dlq.limit.bytes", () -> server(server -> {
                        Long limit = server.getAddressSettingsRepository().getMatch(Queues.DLQ).getPageLimitBytes();
                        return limit == null || limit < 0 ? Double.NaN : limit;
                    }))
                    .description("The most the dead-letter queue may hold on disk; beyond it dead letters are refused")
                    .baseUnit("bytes")
                    .register(registry);
            Gauge.builder("hub.broker.disk.usage", () -> server(ActiveMQServer::getDiskStoreUsage))
                    .description("Share (0 to 1) of the broker journal's file system in use")
                    .register(registry);
            Gauge.builder("hub.broker.disk.limit", () -> server(server -> {
                        int percent = server.getConfiguration().getMaxDiskUsage();
                        return percent < 0 ? Double.NaN : percent / 100.0;
                    }))
                    .description("Share (0 to 1) of the file system in use at which the broker blocks all writes")
                    .register(registry);
        }
        refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hub-gauges");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(100, interval.toMillis());
        refresher.scheduleWithFixedDelay(this::refreshSafely, 0, millis, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the broker and plugins, before nothing in particular. */
    @Override
    public int getPhase() {
        return 100;
    }

    /** Reads every instance's state and the dead letters per instance now. */
    public void refresh() {
        List<InstanceStatus> statuses = instances.statuses();
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        for (InstanceStatus status : statuses) {
            for (InstanceState state : InstanceState.values()) {
                states.add(MultiGauge.Row.of(Tags.of("connector", status.connector(), "instance", status.instance(),
                        "state", state.name()), status.state() == state ? 1 : 0));
            }
        }
        instanceState.register(states, true);
        List<MultiGauge.Row<?>> depths = new ArrayList<>();
        java.util.Map<String, DeadLetterOffice.InstanceCount> counts = deadLetters.countsByInstance();
        counts.forEach((key, count) -> {
            int slash = key.indexOf('/');
            depths.add(MultiGauge.Row.of(Tags.of("connector", orNone(key.substring(0, slash)),
                    "instance", orNone(key.substring(slash + 1))), count.depth()));
        });
        // Instances without dead letters report 0, so "growing" is measured from a value, not from nothing.
        for (InstanceStatus status : statuses) {
            if (!counts.containsKey(status.connector() + "/" + status.instance())) {
                depths.add(MultiGauge.Row.of(Tags.of("connector", status.connector(), "instance", status.instance()), 0));
            }
        }
        deadLetterDepth.register(depths, true);
    }

    private void refreshSafely() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.debug("Gauges not refreshed: {}", e.getMessage());
        }
    }

    private double count(String name, boolean scheduled) {
        try {
            Queue queue = broker.getActiveMQServer().locateQueue(SimpleString.of(name));
            if (queue == null) {
                return Double.NaN;
            }
            long waiting = queue.getScheduledCount();
            return scheduled ? waiting : Math.max(0, queue.getMessageCount() - waiting);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private double server(java.util.function.ToDoubleFunction<ActiveMQServer> reading) {
        try {
            ActiveMQServer server = broker.getActiveMQServer();
            return server == null ? Double.NaN : reading.applyAsDouble(server);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String orNone(String value) {
        return value == null || "null".equals(value) ? "none" : value;
    }
}
