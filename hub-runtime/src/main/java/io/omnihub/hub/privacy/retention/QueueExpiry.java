package io.omnihub.hub.privacy.retention;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import java.time.Duration;

/**
 * Removes the messages of one queue that a selector picks (those past their retention), in JMS
 * transactions of at most a batch each: a failure halfway loses nothing that was not committed.
 */
public final class QueueExpiry {

    /** What happens to each removed message inside the batch's transaction (an audit row); may throw to keep it. */
    @FunctionalInterface
    public interface Removal {
        /** Called before the batch commits; returns an undo run when the commit fails. */
        Runnable removing(Message message) throws JMSException;
    }

    private static final Duration RECEIVE_TIMEOUT = Duration.ofMillis(500);

    private final ConnectionFactory connectionFactory;

    public QueueExpiry(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /** Removes every message of {@code queue} that {@code selector} picks; returns how many. */
    public long remove(String queue, String selector, int batchSize, Removal removal) {
        long total = 0;
        try (JMSContext context = connectionFactory.createContext(JMSContext.SESSION_TRANSACTED);
             JMSConsumer consumer = context.createConsumer(context.createQueue(queue), selector)) {
            while (true) {
                java.util.List<Runnable> undo = new java.util.ArrayList<>();
                Message message;
                while (undo.size() < batchSize && (message = consumer.receive(RECEIVE_TIMEOUT.toMillis())) != null) {
                    undo.add(removal.removing(message));
                }
                if (undo.isEmpty()) {
                    return total;
                }
                try {
                    context.commit();
                } catch (JMSRuntimeException e) {
                    undo.forEach(Runnable::run);
                    throw e;
                }
                total += undo.size();
                if (undo.size() < batchSize) {
                    return total;
                }
            }
        } catch (JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not remove expired messages from " + queue + " (" + total + " removed): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** A selector for messages whose {@code property} (epoch millis) is before {@code before}, or, without it, whose JMS timestamp is. */
    public static String olderThan(String property, long beforeMillis) {
        return "(" + property + " IS NOT NULL AND " + property + " < " + beforeMillis + ") OR (" + property
                + " IS NULL AND JMSTimestamp < " + beforeMillis + ")";
    }
}
