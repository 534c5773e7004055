package io.omnihub.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.hub.RunningHub;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What "durable before ack" rests on in the embedded broker: a webhook is answered when its send
 * completes, and a send completes once the journal has been synced, transacted or not (the stages
 * send in transactions, the ingress without). A process crash is survived either way (the page
 * cache outlives the JVM); a power cut only with these syncs, which no test here can cut.
 */
class EmbeddedBrokerDurabilityTest extends RunningHub {

    @Autowired
    EmbeddedActiveMQ broker;

    @Test
    void theJournalIsPersistentAndSyncedBeforeAnySendCompletes() {
        Configuration configuration = broker.getActiveMQServer().getConfiguration();

        assertThat(configuration.isPersistenceEnabled()).isTrue();
        assertThat(configuration.isJournalSyncNonTransactional()).as("sends outside a transaction (the ingress)").isTrue();
        assertThat(configuration.isJournalSyncTransactional()).as("commits (the stages)").isTrue();
    }
}
