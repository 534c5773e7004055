package io.omnihub.hub.console;

import io.micrometer.core.instrument.MeterRegistry;
import io.omnihub.hub.HubProperties;
import io.omnihub.hub.cluster.ClusterNodes;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.deadletters.DeadLetterOffice;
import io.omnihub.hub.metrics.BrokerQueueDepths;
import io.omnihub.hub.metrics.BrokerStorageGauges;
import io.omnihub.hub.metrics.EmbeddedQueueDepths;
import io.omnihub.hub.metrics.HubGauges;
import io.omnihub.hub.metrics.QueueDepths;
import io.omnihub.hub.metrics.StageMeters;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What operators work with: the dead-letter office, the gauges alerts watch, and the board. */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    DeadLetterOffice deadLetterOffice(ActiveMQConnectionFactory pipelineConnectionFactory, DataSource dataSource,
                                      Clock clock, HubProperties properties) {
        return new DeadLetterOffice(pipelineConnectionFactory, dataSource, clock, properties.getConsole().getDeadLetterCountTtl());
    }

    /** The embedded broker's queues, or the external broker's asked over management messages. */
    @Bean
    QueueDepths queueDepths(ObjectProvider<EmbeddedActiveMQ> broker, ActiveMQConnectionFactory pipelineConnectionFactory) {
        EmbeddedActiveMQ embedded = broker.getIfAvailable();
        return embedded != null ? new EmbeddedQueueDepths(embedded)
                : new BrokerQueueDepths(pipelineConnectionFactory, java.time.Duration.ofSeconds(2));
    }

    @Bean
    HubGauges hubGauges(MeterRegistry registry, ConnectorInstances instances, DeadLetterOffice deadLetters,
                        QueueDepths queueDepths, HubProperties properties) {
        return new HubGauges(registry, instances, deadLetters, queueDepths, properties.getConsole().getSampleInterval());
    }

    /** The dead-letter queue's and the journal disk's use: the embedded broker's; an external one exports its own. */
    @Bean
    BrokerStorageGauges brokerStorageGauges(ObjectProvider<EmbeddedActiveMQ> broker) {
        return new BrokerStorageGauges(broker.getIfAvailable());
    }

    @Bean
    RouteHealthBoard routeHealthBoard(ConnectorInstances instances, StageMeters meters, DeadLetterOffice deadLetters,
                                      CamelContext camel, Clock clock, ClusterNodes cluster) {
        return new RouteHealthBoard(instances, meters, deadLetters, camel, clock, cluster);
    }
}
