package io.omnihub.hub.privacy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.hub.deadletters.DeadLetterOffice;
import io.omnihub.routes.Queues;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * Finds an erased customer's messages still on the broker and removes them: parked ones on
 * {@code hub.dlq} (through the dead-letter office, so each removal is audited like a discard) and
 * those waiting on the pipeline's queues (raw records before normalizing, events, enrichments,
 * actions). A message is theirs when its body or one of its properties holds one of their
 * identifiers' values (a phone also in its national form). Messages waiting out a retry backoff
 * (scheduled) are searched too on the embedded broker. A message a stage holds at that very moment
 * cannot be taken; the core's suppression list stops whatever it leads to.
 */
public final class QueuedMessagesOfACustomer {

    /** The queues searched, with the kind each removal is counted under on the erasure record. */
    static final Map<String, String> QUEUES = new LinkedHashMap<>();

    static {
        QUEUES.put(Queues.DLQ, "deadLetters");
        QUEUES.put(Queues.RAW, "rawRecords");
        QUEUES.put(Queues.EVENTS, "queuedEvents");
        QUEUES.put(Queues.ENRICH, "queuedEnrichments");
        QUEUES.put(Queues.ACTIONS, "queuedActions");
    }

    /** Values shorter than this match too much to be a person's (a member card "12"). */
    private static final int SHORTEST_VALUE = 6;
    private static final long RECEIVE_MILLIS = 1000;

    private final ConnectionFactory connectionFactory;
    private final DeadLetterOffice deadLetters;
    private final ScheduledMessages scheduled;

    /** @param embedded the embedded broker, or null when the hub uses an external one (its scheduled messages are not searched) */
    public QueuedMessagesOfACustomer(ConnectionFactory connectionFactory, DeadLetterOffice deadLetters, EmbeddedActiveMQ embedded) {
        this.connectionFactory = connectionFactory;
        this.deadLetters = deadLetters;
        this.scheduled = embedded == null ? null : new ScheduledMessages(embedded);
    }

    /**
     * Removes every queued message holding one of {@code identifiers}.
     *
     * @return how many were removed, per kind ({@code deadLetters}, {@code rawRecords}, ...), every kind present
     */
    public Map<String, Long> remove(Collection<Identity> identifiers, String actor, String reason) {
        Set<String> needles = needles(identifiers);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, String> queue : QUEUES.entrySet()) {
            long removed = 0;
            if (!needles.isEmpty()) {
                for (String id : matching(queue.getKey(), needles)) {
                    if (queue.getKey().equals(Queues.DLQ) ? deadLetters.discard(id, actor, reason).isPresent() : take(queue.getKey(), id)) {
                        removed++;
                    }
                }
                if (scheduled != null && !queue.getKey().equals(Queues.DLQ)) {
                    removed += scheduled.remove(queue.getKey(), text -> holdsAny(text, needles));
                }
            }
            counts.put(queue.getValue(), removed);
        }
        return counts;
    }

    /** The texts that betray the customer: each value, and a phone's national number as channels often send it. */
    static Set<String> needles(Collection<Identity> identifiers) {
        Set<String> out = new LinkedHashSet<>();
        for (Identity identity : identifiers) {
            String value = identity.value();
            if (value == null || value.length() < SHORTEST_VALUE) {
                continue;
            }
            out.add(value);
            if (IdentityTypes.PHONE.equals(identity.type()) && value.startsWith("+")) {
                try {
                    String national = Long.toString(PhoneNumberUtil.getInstance().parse(value, null).getNationalNumber());
                    if (national.length() >= SHORTEST_VALUE) {
                        out.add(national);
                    }
                } catch (NumberParseException e) {
                    // the value as stored is all there is to look for
                }
            }
        }
        return out;
    }

    private List<String> matching(String queue, Set<String> needles) {
        List<String> ids = new ArrayList<>();
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = context.createBrowser(context.createQueue(queue))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                Message message = (Message) messages.nextElement();
                if (holdsAny(message, needles)) {
                    ids.add(message.getJMSMessageID());
                }
            }
        } catch (JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not browse " + queue + ": " + e.getMessage(), e);
        }
        return ids;
    }

    private static boolean holdsAny(Message message, Set<String> needles) throws JMSException {
        StringBuilder text = new StringBuilder();
        if (message instanceof jakarta.jms.BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            bytes.reset();
            text.append(new String(body, StandardCharsets.UTF_8));
        } else if (message instanceof jakarta.jms.TextMessage t && t.getText() != null) {
            text.append(t.getText());
        }
        for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
            Object value = message.getObjectProperty((String) names.nextElement());
            if (value != null) {
                text.append('\n').append(value);
            }
        }
        return holdsAny(text.toString(), needles);
    }

    private static boolean holdsAny(String text, Set<String> needles) {
        return needles.stream().anyMatch(text::contains);
    }

    /** Takes one waiting message off {@code queue} by id; false when a stage holds it or it is gone. */
    private boolean take(String queue, String messageId) {
        try (JMSContext context = connectionFactory.createContext(JMSContext.SESSION_TRANSACTED);
             JMSConsumer consumer = context.createConsumer(context.createQueue(queue), "JMSMessageID = '" + messageId.replace("'", "''") + "'")) {
            Message message = consumer.receive(RECEIVE_MILLIS);
            context.commit();
            return message != null;
        } catch (JMSRuntimeException e) {
            throw new IllegalStateException("could not remove a message from " + queue + ": " + e.getMessage(), e);
        }
    }
}
