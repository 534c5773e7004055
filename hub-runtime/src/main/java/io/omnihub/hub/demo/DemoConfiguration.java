package io.omnihub.hub.demo;

import io.omnihub.hub.cluster.ClusterChanges;
import io.omnihub.hub.connectors.JdbcInstanceStore;
import io.omnihub.hub.sealing.Sealer;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/** Demo mode's part of the hub, present only when {@code hub.demo.enabled} is on. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.demo.enabled", havingValue = "true")
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    DemoMode demoMode(DemoProperties properties, ConfigurableEnvironment environment, DataSource dataSource, Sealer sealer,
                      ClusterChanges clusterChanges) {
        return new DemoMode(properties, environment, new JdbcInstanceStore(dataSource, sealer, clusterChanges));
    }
}
