package io.omnihub.hub.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.omnihub.routes.Queues;
import java.util.function.ToDoubleFunction;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * What the embedded broker holds on disk, for the alerts that fire well before it refuses writes:
 * <ul>
 *   <li>{@code hub.dlq.size.bytes} and {@code hub.dlq.limit.bytes}: what the dead-letter queue holds
 *       and its bound;</li>
 *   <li>{@code hub.broker.disk.usage} and {@code hub.broker.disk.limit}: the share of the journal's
 *       file system in use and the share at which the broker blocks writes.</li>
 * </ul>
 * An external broker exports these itself (Artemis' own metrics), so without an embedded broker
 * nothing is registered; each reads NaN while the broker cannot say.
 */
public final class BrokerStorageGauges implements MeterBinder {

    private final EmbeddedActiveMQ broker;

    /** @param broker the embedded broker, or null with an external one */
    public BrokerStorageGauges(EmbeddedActiveMQ broker) {
        this.broker = broker;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (broker == null) {
            return;
        }
        Gauge.builder("hub.dlq.size.bytes", () -> read(server -> {
                    Queue queue = server.locateQueue(SimpleString.of(Queues.DLQ));
                    return queue == null ? Double.NaN : queue.getPersistentSize();
                }))
                .description("Bytes held by the dead-letter queue, in memory and paged to disk")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("hub.dlq.limit.bytes", () -> read(server -> {
                    Long limit = server.getAddressSettingsRepository().getMatch(Queues.DLQ).getPageLimitBytes();
                    return limit == null || limit < 0 ? Double.NaN : limit;
                }))
                .description("The most the dead-letter queue may hold on disk; beyond it dead letters are refused")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("hub.broker.disk.usage", () -> read(ActiveMQServer::getDiskStoreUsage))
                .description("Share (0 to 1) of the broker journal's file system in use")
                .register(registry);
        Gauge.builder("hub.broker.disk.limit", () -> read(server -> {
                    int percent = server.getConfiguration().getMaxDiskUsage();
                    return percent < 0 ? Double.NaN : percent / 100.0;
                }))
                .description("Share (0 to 1) of the file system in use at which the broker blocks all writes")
                .register(registry);
    }

    private double read(ToDoubleFunction<ActiveMQServer> reading) {
        try {
            ActiveMQServer server = broker.getActiveMQServer();
            return server == null ? Double.NaN : reading.applyAsDouble(server);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
