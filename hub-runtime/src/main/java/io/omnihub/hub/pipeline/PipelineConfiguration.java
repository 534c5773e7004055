package io.omnihub.hub.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.omnihub.crm.CrmCore;
import io.omnihub.hub.broker.BrokerEndpoint;
import io.omnihub.hub.polling.JdbcPollLeases;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.CoreApplyRoute;
import io.omnihub.routes.EnrichRoute;
import io.omnihub.routes.NormalizeRoute;
import io.omnihub.routes.PipelineSettings;
import io.omnihub.routes.PollIngressRoute;
import io.omnihub.hub.metrics.StageMeters;
import io.omnihub.routes.WebhookIngressRoute;
import io.omnihub.routes.batch.IngressPriority;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.broker.DeadLetterCapacity;
import io.omnihub.routes.broker.EmbeddedArtemisRoute;
import io.omnihub.routes.broker.RawJournal;
import io.omnihub.routes.event.CanonicalEventCodec;
import io.omnihub.routes.ingress.WebhookIngress;
import io.omnihub.routes.ingress.WebhookOutcomes;
import io.omnihub.routes.poll.PollStage;
import io.omnihub.routes.stage.CoreStage;
import io.omnihub.routes.stage.EnrichStage;
import io.omnihub.routes.stage.EventMessages;
import io.omnihub.routes.stage.NormalizeStage;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the pipeline of DESIGN §4 from the routes module: webhook and poll ingress, normalize,
 * enrich and core stages, each a Camel route operators see by its id, all on the broker the runtime configured.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PipelineProperties.class)
public class PipelineConfiguration {

    /**
     * The pipeline's own connection factory: the same broker as Spring's JMS, plus the confirmation
     * window the ingress needs for asynchronous durable sends.
     */
    @Bean(destroyMethod = "close")
    ActiveMQConnectionFactory pipelineConnectionFactory(BrokerEndpoint broker, PipelineProperties pipeline,
                                                        ObjectProvider<EmbeddedActiveMQ> embeddedBroker) {
        embeddedBroker.ifAvailable(started -> { }); // the embedded broker, when there is one, starts first
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url(), broker.user(), broker.password());
        factory.setConfirmationWindowSize(pipeline.getConfirmationWindowBytes());
        factory.setReconnectAttempts(-1);
        return factory;
    }

    @Bean
    PipelineSettings pipelineSettings(PipelineProperties properties) {
        return properties.toSettings();
    }

    /**
     * Duplicate ids only for an external broker: the embedded one is reached in-VM and never fails
     * over. With the embedded broker, small sends are routed straight into it ({@link EmbeddedArtemisRoute}).
     */
    @Bean(destroyMethod = "close")
    RawJournal rawJournal(ActiveMQConnectionFactory pipelineConnectionFactory, PipelineProperties properties, Clock clock,
                          DeadLetterCapacity deadLetterCapacity, BrokerEndpoint broker,
                          ObjectProvider<EmbeddedActiveMQ> embeddedBroker) {
        EmbeddedActiveMQ embedded = broker.embedded() && properties.isIngressDirectRoute() ? embeddedBroker.getIfAvailable() : null;
        return new RawJournal(pipelineConnectionFactory, properties.getIngressLanes(), properties.getIngressMaxPendingSends(),
                properties.getPersistTimeout(), clock, deadLetterCapacity, !broker.embedded(),
                embedded == null ? null : new EmbeddedArtemisRoute(embedded.getActiveMQServer()));
    }

    @Bean("jms-batch")
    JmsBatchComponent jmsBatchComponent(ActiveMQConnectionFactory pipelineConnectionFactory, DeadLetterCapacity deadLetterCapacity,
                                        RawJournal rawJournal, PipelineProperties properties) {
        return new JmsBatchComponent(pipelineConnectionFactory, deadLetterCapacity, properties.ingressPriority(rawJournal::inFlight));
    }

    @Bean
    CanonicalEventCodec canonicalEventCodec() {
        return new CanonicalEventCodec();
    }

    @Bean
    EventMessages eventMessages(CanonicalEventCodec codec, IdentityPolicy identityPolicy) {
        return new EventMessages(codec, identityPolicy);
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService webhookReplyExecutor() {
        return Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "webhook-reply");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    WebhookIngressRoute webhookIngressRoute(ConnectorRegistry registry, RawJournal journal, Clock clock,
                                            ExecutorService webhookReplyExecutor, WebhookOutcomes outcomes) {
        return new WebhookIngressRoute(new WebhookIngress(registry, journal, clock, webhookReplyExecutor, outcomes));
    }

    @Bean
    StageMeters stageMeters(MeterRegistry meters, Clock clock) {
        return new StageMeters(meters, clock);
    }

    @Bean
    JdbcPollLeases pollLeases(DataSource dataSource, Clock clock) {
        return new JdbcPollLeases(dataSource, clock);
    }

    @Bean
    PollIngressRoute pollIngressRoute(ConnectorRegistry registry, JdbcPollLeases pollLeases, RawJournal journal,
                                      PipelineProperties properties, ExecutorService pollExecutor) {
        return new PollIngressRoute(new PollStage(registry, pollLeases, journal, properties.retryBackoff(), System::nanoTime,
                pollExecutor));
    }

    /** Polls run here, one instance per thread at a time, so a slow channel holds up only itself. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService pollExecutor(PipelineProperties properties) {
        return Executors.newFixedThreadPool(Math.max(1, properties.getPollThreads()), runnable -> {
            Thread thread = new Thread(runnable, "poll");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    NormalizeRoute normalizeRoute(ConnectorRegistry registry, EventMessages events, Clock clock, PipelineSettings settings,
                                  PipelineProperties properties, StageMeters stageMeters) {
        return new NormalizeRoute(new NormalizeStage(registry, events, properties.retryBackoff(), clock, stageMeters), settings);
    }

    @Bean
    EnrichRoute enrichRoute(ConnectorRegistry registry, EventMessages events, Clock clock, PipelineSettings settings,
                            PipelineProperties properties, StageMeters stageMeters, CrmCore crm) {
        return new EnrichRoute(new EnrichStage(registry, events, properties.retryBackoff(), clock, stageMeters,
                event -> crm.suppressed(event.data().identities())), settings);
    }

    @Bean
    CoreApplyRoute coreApplyRoute(CrmCore crm, EventMessages events, Clock clock, PipelineSettings settings, StageMeters stageMeters) {
        return new CoreApplyRoute(new CoreStage(crm, events, clock, stageMeters), settings);
    }
}
