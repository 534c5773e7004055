package io.omnihub.routes.broker;

import io.omnihub.routes.poll.RecordSink;
import jakarta.jms.CompletionListener;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Persists messages with asynchronous durable sends: {@link #append} returns at once and its future
 * completes when the broker confirms the message is in its journal. Many requests in flight share
 * one journal sync, which is what lets the ingress acknowledge webhooks only after their records are
 * durable without paying a blocking round trip each (DESIGN §4).
 *
 * <p>The connection factory must have a confirmation window ({@code confirmationWindowSize > 0}) so
 * the broker acknowledges sends asynchronously.
 */
public final class RawJournal implements RecordSink, AutoCloseable {

    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param connectionFactory a factory with a confirmation window
     * @param laneCount         independent sessions; sends on one lane are serialized briefly
     */
    public RawJournal(ConnectionFactory connectionFactory, int laneCount) {
        JMSContext first = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
        lanes.add(new Lane(first));
        for (int i = 1; i < laneCount; i++) {
            lanes.add(new Lane(first.createContext(JMSContext.AUTO_ACKNOWLEDGE)));
        }
    }

    /** Sends {@code message}; the future completes once it is durable, or fails with the broker's error. */
    public CompletableFuture<Void> append(BrokerMessage message) {
        Lane lane = lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size()));
        return lane.send(message);
    }

    /** Sends all {@code messages}; the future completes once every one is durable. */
    @Override
    public CompletableFuture<Void> appendAll(List<BrokerMessage> messages) {
        if (messages.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(messages.stream().map(this::append).toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        for (int i = lanes.size() - 1; i >= 0; i--) {
            lanes.get(i).context.close();
        }
    }

    private static final class Lane {
        private final JMSContext context;
        private final JMSProducer producer;
        private final Map<String, Queue> queues = new ConcurrentHashMap<>();

        Lane(JMSContext context) {
            this.context = context;
            this.producer = context.createProducer();
        }

        synchronized CompletableFuture<Void> send(BrokerMessage message) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                Message jms = context.createBytesMessage();
                ((jakarta.jms.BytesMessage) jms).writeBytes(message.body());
                for (Map.Entry<String, Object> property : message.properties().entrySet()) {
                    jms.setObjectProperty(property.getKey(), property.getValue());
                }
                // Resent after a failover when the old primary never confirmed it: dropped if it had it.
                java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
                jms.setStringProperty(Headers.DUPLICATE_ID, new java.util.UUID(random.nextLong(), random.nextLong()).toString());
                Queue queue = queues.computeIfAbsent(message.queue(), context::createQueue);
                producer.setAsync(new CompletionListener() {
                    @Override
                    public void onCompletion(Message sent) {
                        done.complete(null);
                    }

                    @Override
                    public void onException(Message failed, Exception exception) {
                        done.completeExceptionally(exception);
                    }
                }).send(queue, jms);
            } catch (JMSException | RuntimeException e) {
                done.completeExceptionally(e);
            }
            return done;
        }
    }
}
