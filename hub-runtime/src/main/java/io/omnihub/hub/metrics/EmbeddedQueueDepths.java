package io.omnihub.hub.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/** Queue depths read from the embedded broker's own queues. */
public final class EmbeddedQueueDepths implements QueueDepths {

    private final EmbeddedActiveMQ broker;

    public EmbeddedQueueDepths(EmbeddedActiveMQ broker) {
        this.broker = broker;
    }

    @Override
    public Map<String, Depth> read(Iterable<String> queues) {
        Map<String, Depth> depths = new LinkedHashMap<>();
        for (String name : queues) {
            Queue queue = broker.getActiveMQServer().locateQueue(SimpleString.of(name));
            if (queue != null) {
                long scheduled = queue.getScheduledCount();
                depths.put(name, new Depth(Math.max(0, queue.getMessageCount() - scheduled), scheduled));
            }
        }
        return depths;
    }
}
