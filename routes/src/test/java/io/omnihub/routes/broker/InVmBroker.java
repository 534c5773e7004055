package io.omnihub.routes.broker;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * An embedded Artemis broker with anycast queues, reached in-VM through a connection factory set up
 * as the hub's pipeline sets its own: a confirmation window, reconnecting by itself.
 */
public final class InVmBroker implements AutoCloseable {

    private static final AtomicInteger IDS = new AtomicInteger(70);

    private final EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    private final ActiveMQConnectionFactory factory;

    private InVmBroker(ConfigurationImpl configuration, String... queues) throws Exception {
        String url = "vm://" + IDS.incrementAndGet();
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("in-vm", url);
        for (String queue : queues) {
            configuration.addQueueConfiguration(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST));
        }
        broker.setConfiguration(configuration);
        broker.start();
        factory = new ActiveMQConnectionFactory(url);
        factory.setConfirmationWindowSize(1024 * 1024);
        factory.setReconnectAttempts(-1);
    }

    /** Starts a broker with {@code configuration} (security off, an in-VM acceptor and the queues added). */
    public static InVmBroker start(ConfigurationImpl configuration, String... queues) throws Exception {
        return new InVmBroker(configuration, queues);
    }

    /** A broker that keeps nothing on disk. */
    public static ConfigurationImpl inMemory() {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        return configuration;
    }

    /** A persistent broker on {@code data}, with the NIO journal as the hub's and its defaults. */
    static ConfigurationImpl persistent(Path data) {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(true);
        configuration.setJournalDirectory(data.resolve("journal").toString());
        configuration.setBindingsDirectory(data.resolve("bindings").toString());
        configuration.setPagingDirectory(data.resolve("paging").toString());
        configuration.setLargeMessagesDirectory(data.resolve("large").toString());
        configuration.setJournalType(JournalType.NIO);
        return configuration;
    }

    public ActiveMQConnectionFactory factory() {
        return factory;
    }

    ActiveMQServer server() {
        return broker.getActiveMQServer();
    }

    public long depth(String queue) {
        return server().locateQueue(SimpleString.of(queue)).getMessageCount();
    }

    /** Sends {@code bodies} to {@code queue} as text messages, one connection for all. */
    public void send(String queue, String... bodies) throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (String body : bodies) {
                producer.send(session.createTextMessage(body));
            }
        }
    }

    /** Stops the broker; clients of the factory see it gone. */
    void stop() throws Exception {
        broker.stop();
    }

    @Override
    public void close() throws Exception {
        factory.close();
        broker.stop();
    }
}
