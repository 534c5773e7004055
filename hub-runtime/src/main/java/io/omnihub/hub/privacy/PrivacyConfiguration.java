package io.omnihub.hub.privacy;

import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CustomerExport;
import io.omnihub.hub.deadletters.DeadLetterOffice;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Erasure across the core and the broker, the privacy audit and the access export. */
@Configuration(proxyBeanMethods = false)
public class PrivacyConfiguration {

    @Bean
    CustomerErasure customerErasure(CrmCore crm, ActiveMQConnectionFactory pipelineConnectionFactory, DeadLetterOffice deadLetters,
                                    ObjectProvider<EmbeddedActiveMQ> embeddedBroker) {
        return new CustomerErasure(crm, new QueuedMessagesOfACustomer(pipelineConnectionFactory, deadLetters, embeddedBroker.getIfAvailable()));
    }

    @Bean
    @DependsOnDatabaseInitialization
    PrivacyAudit privacyAudit(DataSource dataSource, Clock clock) {
        return new PrivacyAudit(dataSource, clock);
    }

    @Bean
    @DependsOnDatabaseInitialization
    CustomerExport customerExport(DataSource dataSource, Clock clock) {
        return new CustomerExport(dataSource, clock);
    }
}
