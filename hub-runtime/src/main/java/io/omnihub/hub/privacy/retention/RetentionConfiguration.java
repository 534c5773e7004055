package io.omnihub.hub.privacy.retention;

import io.micrometer.core.instrument.MeterRegistry;
import io.omnihub.crm.DetailPruner;
import io.omnihub.crm.SweepClaims;
import io.omnihub.hub.cluster.ClusterNodes;
import io.omnihub.hub.deadletters.DeadLetterOffice;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.Headers;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The daily retention sweep over every kind of data the hub keeps for a limited time ({@code hub.privacy.retention.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetentionProperties.class)
public class RetentionConfiguration {

    /** Work run once per period across the nodes on this database (shared with other daily sweeps). */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    SweepClaims sweepClaims(DataSource dataSource, Clock clock, ClusterNodes cluster) {
        return new SweepClaims(dataSource, clock, cluster.nodeId());
    }

    @Bean
    @DependsOnDatabaseInitialization
    RetentionRuns retentionRuns(DataSource dataSource) {
        return new RetentionRuns(dataSource);
    }

    @Bean
    RetentionSweep retentionSweep(RetentionProperties properties, Clock clock, SweepClaims claims, ClusterNodes cluster,
                                  DataSource dataSource, DeadLetterOffice deadLetters, ActiveMQConnectionFactory pipelineConnectionFactory,
                                  RetentionRuns runs, MeterRegistry meters, ObjectProvider<EmbeddedActiveMQ> embeddedBroker) {
        DetailPruner pruner = new DetailPruner(dataSource);
        QueueExpiry queues = new QueueExpiry(pipelineConnectionFactory);
        AuditExpiry audit = new AuditExpiry(dataSource);
        Map<RetentionKind, RetentionSweep.Sweeper> sweepers = new EnumMap<>(RetentionKind.class);
        sweepers.put(RetentionKind.TIMELINE_DETAIL, pruner::dropTimelineDetail);
        sweepers.put(RetentionKind.ACTION_PAYLOADS, pruner::clearActionPayloads);
        sweepers.put(RetentionKind.DEAD_LETTERS, (before, batch) -> deadLetters.expire(before, batch, "retention",
                "older than hub.privacy.retention.dead-letters (" + properties.getDeadLetters() + ")"));
        sweepers.put(RetentionKind.RAW_RECORDS, (before, batch) -> queues.remove(Queues.RAW,
                QueueExpiry.olderThan(Headers.RECEIVED_AT, before.toEpochMilli()), batch, message -> () -> { }));
        sweepers.put(RetentionKind.AUDIT, audit::expire);
        return new RetentionSweep(properties, clock, claims, cluster.nodeId(), embeddedBroker.getIfAvailable() != null, sweepers, runs, meters);
    }

    @Bean
    RetentionSchedule retentionSchedule(RetentionSweep sweep, RetentionProperties properties) {
        return new RetentionSchedule(sweep, properties.getCheckInterval());
    }
}
