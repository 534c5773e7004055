package io.omnihub.routes.batch;

import io.omnihub.routes.Queues;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A real Artemis broker in this JVM (in-VM acceptor, no persistence), with a work queue that parks after three deliveries. */
final class InVmBroker implements AutoCloseable {

    static final String WORK = "work";
    static final String OUT = "out";
    static final int MAX_DELIVERIES = 3;

    private static int instances;

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final int id;

    InVmBroker() throws Exception {
        synchronized (InVmBroker.class) {
            id = ++instances + 1000;
        }
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("in-vm", "vm://" + id);
        for (String queue : List.of(WORK, OUT, Queues.DLQ)) {
            configuration.addQueueConfiguration(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST));
        }
        configuration.addAddressSetting(WORK, new AddressSettings()
                .setMaxDeliveryAttempts(MAX_DELIVERIES)
                .setRedeliveryDelay(0)
                .setDeadLetterAddress(SimpleString.of(Queues.DLQ)));
        server.setConfiguration(configuration);
        server.start();
    }

    ActiveMQConnectionFactory connectionFactory() {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + id);
        factory.setConfirmationWindowSize(1024 * 1024);
        return factory;
    }

    /** Sends {@code bodies} to {@code queue} as text messages, one connection for all. */
    void send(String queue, String... bodies) throws Exception {
        try (ActiveMQConnectionFactory factory = connectionFactory(); Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (String body : bodies) {
                producer.send(session.createTextMessage(body));
            }
        }
    }

    long depth(String queue) {
        return server.getActiveMQServer().locateQueue(SimpleString.of(queue)).getMessageCount();
    }

    void stop() throws Exception {
        server.stop();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
