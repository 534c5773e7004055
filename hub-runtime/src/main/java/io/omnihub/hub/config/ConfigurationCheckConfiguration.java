package io.omnihub.hub.config;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Checks the hub's configuration before any bean is made, so a typo stops the start before anything starts. */
@Configuration(proxyBeanMethods = false)
public class ConfigurationCheckConfiguration {

    @Bean
    static BeanFactoryPostProcessor unknownHubProperties() {
        return new UnknownHubProperties();
    }
}
