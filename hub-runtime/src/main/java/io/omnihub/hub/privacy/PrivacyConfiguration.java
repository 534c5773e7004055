package io.omnihub.hub.privacy;

import io.omnihub.crm.CrmCore;
import io.omnihub.hub.deadletters.DeadLetterOffice;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Erasure across the core and the broker. */
@Configuration(proxyBeanMethods = false)
public class PrivacyConfiguration {

    @Bean
    CustomerErasure customerErasure(CrmCore crm, ActiveMQConnectionFactory pipelineConnectionFactory, DeadLetterOffice deadLetters,
                                    ObjectProvider<EmbeddedActiveMQ> embeddedBroker) {
        return new CustomerErasure(crm, new QueuedMessagesOfACustomer(pipelineConnectionFactory, deadLetters, embeddedBroker.getIfAvailable()));
    }
}
