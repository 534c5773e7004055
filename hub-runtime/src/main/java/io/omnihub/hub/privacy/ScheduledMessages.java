package io.omnihub.hub.privacy;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * Messages waiting out a retry backoff on the embedded broker: a broker does not show scheduled
 * messages to queue browsers, so they are read and removed through the broker itself.
 */
final class ScheduledMessages {

    private final EmbeddedActiveMQ broker;

    ScheduledMessages(EmbeddedActiveMQ broker) {
        this.broker = broker;
    }

    /**
     * Removes the scheduled messages of {@code queue} whose body and properties, as text, satisfy {@code match}.
     *
     * @return how many were removed
     */
    long remove(String queue, Predicate<String> match) {
        Queue found = broker.getActiveMQServer().locateQueue(SimpleString.of(queue));
        if (found == null) {
            return 0;
        }
        long removed = 0;
        for (MessageReference ref : found.getScheduledMessages()) {
            Message message = ref.getMessage();
            if (match.test(text(message))) {
                try {
                    if (found.deleteReference(message.getMessageID())) {
                        removed++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("could not remove a scheduled message from " + queue + ": " + e.getClass().getSimpleName(), e);
                }
            }
        }
        return removed;
    }

    private static String text(Message message) {
        StringBuilder text = new StringBuilder();
        ActiveMQBuffer body = message.toCore().getReadOnlyBodyBuffer();
        byte[] bytes = new byte[body.readableBytes()];
        body.readBytes(bytes);
        text.append(new String(bytes, StandardCharsets.UTF_8));
        for (SimpleString name : message.getPropertyNames()) {
            Object value = message.getObjectProperty(name);
            if (value != null) {
                text.append('\n').append(value);
            }
        }
        return text.toString();
    }
}
