package io.omnihub.hub.broker;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * An external Artemis broker for fault tests: its own JVM (started from the test class path), a TCP
 * acceptor on localhost, a persistent journal, and the pipeline's queues declared with the same
 * address settings as the hub's embedded broker. A test kills it with SIGKILL and starts it again
 * on the same journal.
 *
 * <p>Arguments: {@code <port> <data-dir>}. Prints {@code ARTEMIS STARTED} once it accepts connections.
 */
public final class StandaloneArtemis {

    private StandaloneArtemis() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]).toAbsolutePath();
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setName("standalone");
        configuration.setSecurityEnabled(false);
        configuration.setPersistenceEnabled(true);
        configuration.setJournalType(JournalType.NIO);
        configuration.setJournalDirectory(data.resolve("journal").toString());
        configuration.setBindingsDirectory(data.resolve("bindings").toString());
        configuration.setLargeMessagesDirectory(data.resolve("largemessages").toString());
        configuration.setPagingDirectory(data.resolve("paging").toString());
        configuration.setMaxDiskUsage(-1);
        configuration.addAcceptorConfiguration("tcp", "tcp://localhost:" + port);
        BrokerConfiguration.declarePipelineQueues(configuration, 16L * 1024 * 1024, 1024L * 1024 * 1024);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration);
        broker.start();
        System.out.println("ARTEMIS STARTED");
        Thread.currentThread().join();
    }
}
