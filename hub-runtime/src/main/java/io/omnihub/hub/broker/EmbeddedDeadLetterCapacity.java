package io.omnihub.hub.broker;

import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.DeadLetterCapacity;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * The embedded broker's dead-letter queue against its bound
 * ({@code hub.embedded-broker.dead-letter-max-size}): full from 95% of it on, so the hub stops
 * parking before the broker has to refuse anything.
 */
public final class EmbeddedDeadLetterCapacity implements DeadLetterCapacity {

    /** The share of the bound from which the hub holds back further dead letters. */
    static final double FULL_AT = 0.95;

    private final EmbeddedActiveMQ broker;
    private final long limitBytes;

    public EmbeddedDeadLetterCapacity(EmbeddedActiveMQ broker, long limitBytes) {
        this.broker = broker;
        this.limitBytes = limitBytes;
    }

    @Override
    public boolean full() {
        return sizeBytes() >= limitBytes * FULL_AT;
    }

    /** What the dead-letter queue holds, in bytes (memory and paged), or 0 before the broker runs. */
    public long sizeBytes() {
        Queue queue = broker.getActiveMQServer() == null ? null
                : broker.getActiveMQServer().locateQueue(SimpleString.of(Queues.DLQ));
        return queue == null ? 0 : queue.getPersistentSize();
    }

    /** The dead-letter queue's bound, in bytes. */
    public long limitBytes() {
        return limitBytes;
    }
}
