package io.omnihub.hub.broker;

import io.omnihub.hub.HubProperties;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.DeadLetterCapacity;
import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.settings.impl.PageFullMessagePolicy;
import org.springframework.boot.artemis.autoconfigure.ArtemisConfigurationCustomizer;
import org.springframework.boot.artemis.autoconfigure.ArtemisProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The broker (DESIGN §4, §6). With {@code spring.artemis.mode=embedded} (the default) Artemis runs
 * inside the hub with a persistent NIO journal under {@code spring.artemis.embedded.data-directory}
 * ({@code ${hub.data-dir}/artemis}), an in-VM acceptor only, and the pipeline's queues declared with
 * their redelivery and dead-letter settings. With {@code spring.artemis.mode=native} and
 * {@code spring.artemis.broker-url} the hub uses an external broker: the primary/backup pair whose
 * configuration is in deploy/artemis (the same queues and settings, plus paging and duplicate
 * detection), reached with an HA URL naming both brokers.
 *
 * <p>The hub starts the embedded broker itself rather than through Spring Boot's Artemis
 * auto-configuration, because that backs off entirely, embedded server included, as soon as the
 * application defines a JMS ConnectionFactory of its own, as the pipeline does.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ArtemisProperties.class)
public class BrokerConfiguration {

    /** The durable stages; a message failing in one is retried there, then parked on {@link Queues#DLQ}. */
    static final List<String> PIPELINE_QUEUES = List.of(Queues.RAW, Queues.EVENTS, Queues.ENRICH, Queues.ACTIONS);

    /**
     * The embedded broker, started when the bean is created (so before anything connects) and stopped
     * after everything that depends on it. {@link ArtemisConfigurationCustomizer} beans still apply.
     */
    @Bean(initMethod = "start", destroyMethod = "stop")
    @Conditional(EmbeddedBrokerCondition.class)
    EmbeddedActiveMQ embeddedActiveMq(ArtemisProperties artemis, HubProperties properties,
                                      ObjectProvider<ArtemisConfigurationCustomizer> customizers) {
        org.apache.activemq.artemis.core.config.Configuration configuration = embeddedConfiguration(artemis.getEmbedded());
        HubProperties.EmbeddedBroker limits = properties.getEmbeddedBroker();
        declarePipelineQueues(configuration, limits.getQueueMemory().toBytes(), limits.getDeadLetterMaxSize().toBytes());
        configuration.setMaxDiskUsage(limits.getMaxDiskUsagePercent());
        customizers.orderedStream().forEach(customizer -> customizer.customize(configuration));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration);
        return broker;
    }

    private static org.apache.activemq.artemis.core.config.Configuration embeddedConfiguration(ArtemisProperties.Embedded embedded) {
        ConfigurationImpl configuration = new ConfigurationImpl();
        // Reached only in-VM: there is no network acceptor to secure.
        configuration.setSecurityEnabled(false);
        configuration.setPersistenceEnabled(embedded.isPersistent());
        String dataDir = (embedded.getDataDirectory() != null
                ? Path.of(embedded.getDataDirectory())
                : Path.of(System.getProperty("java.io.tmpdir"), "artemis-data")).toAbsolutePath().normalize().toString();
        configuration.setJournalDirectory(dataDir + "/journal");
        configuration.setBindingsDirectory(dataDir + "/bindings");
        configuration.setLargeMessagesDirectory(dataDir + "/largemessages");
        configuration.setPagingDirectory(dataDir + "/paging");
        // NIO: works on every file system and needs no native library.
        configuration.setJournalType(JournalType.NIO);
        configuration.getAcceptorConfigurations().add(
                new TransportConfiguration(InVMAcceptorFactory.class.getName(), embedded.generateTransportParameters()));
        configuration.setClusterPassword(embedded.getClusterPassword());
        return configuration;
    }

    /**
     * The pipeline's queues and their address settings: redelivery with growing delays, paging to
     * disk beyond {@code queueMemory}, and a dead-letter queue bounded to {@code deadLetterMaxBytes}
     * on disk (the broker refuses further dead letters beyond it rather than fill the disk).
     */
    static void declarePipelineQueues(org.apache.activemq.artemis.core.config.Configuration configuration,
                                      long queueMemory, long deadLetterMaxBytes) {
        for (String queue : PIPELINE_QUEUES) {
            configuration.addAddressConfiguration(anycastQueue(queue));
            configuration.addAddressSetting(queue, new AddressSettings()
                    // 1 s, 2 s, 4 s ... up to 60 s between deliveries: a flapping database or
                    // channel gets time to recover before the message is parked.
                    .setRedeliveryDelay(1_000)
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(60_000)
                    .setMaxDeliveryAttempts(10)
                    .setDeadLetterAddress(SimpleString.of(Queues.DLQ))
                    // Nothing the pipeline sends expires; should a message carry an expiration
                    // anyway, it is parked rather than dropped.
                    .setExpiryAddress(SimpleString.of(Queues.DLQ))
                    .setAutoCreateDeadLetterResources(false)
                    // A backlog (the database down while webhooks keep coming) pages to disk.
                    .setMaxSizeBytes(queueMemory)
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
        }
        configuration.addAddressConfiguration(anycastQueue(Queues.DLQ));
        configuration.addAddressSetting(Queues.DLQ, new AddressSettings()
                // Parked messages wait for an operator, however long that takes.
                .setExpiryDelay(-1L)
                .setNoExpiry(true)
                // Browsing or a failed replay must never move a parked message anywhere else;
                // naming the queue itself as its dead-letter and expiry address only tells Artemis
                // (and the operator reading its startup log) that this is deliberate.
                .setMaxDeliveryAttempts(-1)
                .setDeadLetterAddress(SimpleString.of(Queues.DLQ))
                .setExpiryAddress(SimpleString.of(Queues.DLQ))
                .setRedeliveryDelay(1_000)
                // Bounded: what does not fit in memory pages to disk, and no more than
                // deadLetterMaxBytes of it; beyond that further dead letters are refused.
                .setMaxSizeBytes(Math.min(queueMemory, deadLetterMaxBytes))
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setPageLimitBytes(deadLetterMaxBytes)
                // Artemis counts the limit in whole pages (limit / page size, rounded down) and
                // frees a page only once all of it is gone: pages of a small share of the bound
                // keep a small bound from meaning "no page at all" and let deleting dead letters
                // make room again.
                .setPageSizeBytes(deadLetterPageSize(deadLetterMaxBytes))
                .setPageFullMessagePolicy(PageFullMessagePolicy.FAIL));
    }

    /** A page size for a dead-letter queue bounded to {@code deadLetterMaxBytes}: 1/32 of it, 4 KB to 10 MB. */
    static int deadLetterPageSize(long deadLetterMaxBytes) {
        return (int) Math.max(4 * 1024, Math.min(10L * 1024 * 1024, deadLetterMaxBytes / 32));
    }

    /**
     * Whether the dead-letter queue can take more: measured on the embedded broker; unknown for an
     * external one, whose own address settings bound it (deploy/README.md).
     */
    @Bean
    DeadLetterCapacity deadLetterCapacity(ObjectProvider<EmbeddedActiveMQ> embeddedBroker, HubProperties properties) {
        EmbeddedActiveMQ embedded = embeddedBroker.getIfAvailable();
        return embedded == null ? DeadLetterCapacity.UNKNOWN
                : new EmbeddedDeadLetterCapacity(embedded, properties.getEmbeddedBroker().getDeadLetterMaxSize().toBytes());
    }

    /**
     * The URL and credentials the pipeline's own connection factory should use. Depending on the
     * embedded broker, when there is one, makes sure it runs before anyone connects.
     */
    @Bean
    BrokerEndpoint brokerEndpoint(ArtemisProperties artemis, ObjectProvider<EmbeddedActiveMQ> embeddedBroker) {
        if (embeddedBroker.getIfAvailable() != null) {
            return new BrokerEndpoint("vm://" + artemis.getEmbedded().getServerId(), null, null, true);
        }
        String url = artemis.getBrokerUrl() != null ? artemis.getBrokerUrl() : "tcp://localhost:61616";
        return new BrokerEndpoint(url, artemis.getUser(), artemis.getPassword(), false);
    }

    private static CoreAddressConfiguration anycastQueue(String name) {
        return new CoreAddressConfiguration()
                .setName(name)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(QueueConfiguration.of(name)
                        .setAddress(name)
                        .setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true));
    }
}
