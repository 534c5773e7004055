package io.omnihub.hub.metrics;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/**
 * Queue depths asked of an external broker (the Artemis pair) with management messages on its
 * {@code activemq.management} address, over the hub's own connection: the broker's user needs the
 * {@code manage} permission (deploy/artemis grants it to role {@code hub}). One connection is kept
 * and made again after a failure; each answer is awaited for at most {@code timeout}.
 */
public final class BrokerQueueDepths implements QueueDepths, AutoCloseable {

    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    private final ConnectionFactory connectionFactory;
    private final long timeoutMillis;
    private Connection connection;
    private Session session;
    private MessageProducer requests;
    private TemporaryQueue replyTo;
    private MessageConsumer replies;

    public BrokerQueueDepths(ConnectionFactory connectionFactory, Duration timeout) {
        this.connectionFactory = connectionFactory;
        this.timeoutMillis = Math.max(100, timeout.toMillis());
    }

    @Override
    public synchronized Map<String, Depth> read(Iterable<String> queues) {
        Map<String, Depth> depths = new LinkedHashMap<>();
        try {
            open();
            for (String queue : queues) {
                Number count = attribute(queue, "messageCount");
                Number scheduled = attribute(queue, "scheduledCount");
                if (count != null && scheduled != null) {
                    depths.put(queue, new Depth(Math.max(0, count.longValue() - scheduled.longValue()), scheduled.longValue()));
                }
            }
        } catch (JMSException | RuntimeException e) {
            close();
        }
        return depths;
    }

    private Number attribute(String queue, String attribute) throws JMSException {
        Message request = session.createMessage();
        JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, attribute);
        request.setJMSReplyTo(replyTo);
        requests.send(request);
        Message reply = replies.receive(timeoutMillis);
        if (reply == null) {
            throw new JMSException("the broker did not answer a management request within " + timeoutMillis + " ms");
        }
        if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
            return null;
        }
        Object result;
        try {
            result = JMSManagementHelper.getResult(reply);
        } catch (Exception e) {
            return null;
        }
        return result instanceof Number number ? number : null;
    }

    private void open() throws JMSException {
        if (connection != null) {
            return;
        }
        connection = connectionFactory.createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        requests = session.createProducer(session.createQueue(MANAGEMENT_ADDRESS));
        replyTo = session.createTemporaryQueue();
        replies = session.createConsumer(replyTo);
        connection.start();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException ignored) {
                // already gone
            }
        }
        connection = null;
        session = null;
        requests = null;
        replyTo = null;
        replies = null;
    }
}
