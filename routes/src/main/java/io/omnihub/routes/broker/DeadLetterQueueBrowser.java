package io.omnihub.routes.broker;

import io.omnihub.routes.DeadLetter;
import io.omnihub.routes.DeadLetterBrowser;
import io.omnihub.routes.Queues;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import io.omnihub.routes.privacy.PersonalDataMasker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;

/** Browses {@code hub.dlq} without consuming it; payloads are shown masked and shortened. */
public final class DeadLetterQueueBrowser implements DeadLetterBrowser {

    private static final int PREVIEW_CHARS = 500;

    private final ConnectionFactory connectionFactory;

    public DeadLetterQueueBrowser(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    public List<DeadLetter> list(int limit) {
        List<DeadLetter> letters = new ArrayList<>();
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = context.createBrowser(context.createQueue(Queues.DLQ))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements() && letters.size() < limit) {
                letters.add(toDeadLetter(BrokerMessage.fromJms(Queues.DLQ, (Message) messages.nextElement())));
            }
        } catch (jakarta.jms.JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not browse " + Queues.DLQ + ": " + e.getMessage(), e);
        }
        return letters;
    }

    @Override
    public long depth() {
        long count = 0;
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = context.createBrowser(context.createQueue(Queues.DLQ))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                messages.nextElement();
                count++;
            }
        } catch (jakarta.jms.JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not browse " + Queues.DLQ + ": " + e.getMessage(), e);
        }
        return count;
    }

    /** The operator's view of a parked message: its failure context and a masked, shortened payload. */
    public static DeadLetter toDeadLetter(BrokerMessage message) {
        return toDeadLetter(message, List.of());
    }

    /** The same, also masking the literal values of {@code secrets} (the configured instances' secrets). */
    public static DeadLetter toDeadLetter(BrokerMessage message, Collection<String> secrets) {
        String text = new String(message.body(), StandardCharsets.UTF_8);
        String preview = PersonalDataMasker.mask(text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) + "…" : text, secrets);
        long firstFailure = message.longProperty(Headers.FIRST_FAILURE_AT, 0);
        String errorMessage = message.stringProperty(Headers.ERROR_MESSAGE);
        return new DeadLetter(
                message.messageId(),
                orElse(message.stringProperty(Headers.STAGE), "broker"),
                message.stringProperty(Headers.CONNECTOR),
                message.stringProperty(Headers.INSTANCE),
                orElse(message.stringProperty(Headers.ERROR_CLASS), "MaxDeliveriesExceeded"),
                errorMessage == null ? "the broker gave up after its maximum delivery attempts" : PersonalDataMasker.mask(errorMessage, secrets),
                message.intProperty(Headers.ATTEMPTS, 0),
                firstFailure == 0 ? null : Instant.ofEpochMilli(firstFailure),
                preview);
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
