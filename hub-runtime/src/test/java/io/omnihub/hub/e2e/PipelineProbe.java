package io.omnihub.hub.e2e;

import io.omnihub.routes.Queues;
import java.util.List;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/** Reads the embedded broker's queues, so tests know when the pipeline has nothing left to do. */
final class PipelineProbe {

    private static final List<String> WORK_QUEUES = List.of(Queues.RAW, Queues.EVENTS, Queues.ENRICH);

    private final ActiveMQServer server;

    PipelineProbe(EmbeddedActiveMQ broker) {
        this.server = broker.getActiveMQServer();
    }

    /** Whether every work queue is empty (nothing waiting, in delivery or scheduled). */
    boolean drained() {
        return WORK_QUEUES.stream().allMatch(name -> queue(name).getMessageCount() == 0);
    }

    /** How many messages were ever added to {@code name}. */
    long added(String name) {
        return queue(name).getMessagesAdded();
    }

    long depth(String name) {
        return queue(name).getMessageCount();
    }

    private Queue queue(String name) {
        Queue queue = server.locateQueue(SimpleString.of(name));
        if (queue == null) {
            throw new IllegalStateException("queue " + name + " does not exist");
        }
        return queue;
    }
}
