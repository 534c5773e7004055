package io.omnihub.routes.broker;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message on one of the pipeline's queues, independent of any JMS session, so stage logic is
 * plain code that takes messages and returns messages.
 *
 * @param queue      the queue it is on or goes to
 * @param body       the body bytes
 * @param properties string, number and boolean properties (see {@link Headers})
 * @param messageId  the broker's id once received; {@code null} before it is sent
 */
public record BrokerMessage(String queue, byte[] body, Map<String, Object> properties, String messageId) {

    public BrokerMessage {
        Objects.requireNonNull(queue, "queue");
        body = body == null ? new byte[0] : body;
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public static BrokerMessage to(String queue, byte[] body, Map<String, Object> properties) {
        return new BrokerMessage(queue, body, properties, null);
    }

    public String stringProperty(String name) {
        Object value = properties.get(name);
        return value == null ? null : value.toString();
    }

    public long longProperty(String name, long fallback) {
        Object value = properties.get(name);
        return value instanceof Number n ? n.longValue() : fallback;
    }

    public int intProperty(String name, int fallback) {
        Object value = properties.get(name);
        return value instanceof Number n ? n.intValue() : fallback;
    }

    /** A copy going to {@code queue} with {@code changes} applied ({@code null} values remove). */
    public BrokerMessage withQueue(String target, Map<String, Object> changes) {
        Map<String, Object> merged = new LinkedHashMap<>(properties);
        changes.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return new BrokerMessage(target, body, merged, null);
    }

    /** A JMS bytes message for {@code session}. */
    public Message toJms(Session session) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(body);
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        return message;
    }

    /** Reads a received JMS message (bytes or text) into a {@code BrokerMessage}. */
    public static BrokerMessage fromJms(String queue, Message message) throws JMSException {
        byte[] body;
        if (message instanceof BytesMessage bytes) {
            body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
        } else if (message instanceof TextMessage text) {
            body = text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        } else {
            body = new byte[0];
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        Enumeration<?> names = message.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            if (!name.startsWith("_AMQ") && !name.startsWith("JMSX") || Headers.GROUP_ID.equals(name)) {
                properties.put(name, message.getObjectProperty(name));
            }
        }
        return new BrokerMessage(queue, body, properties, message.getJMSMessageID());
    }
}
