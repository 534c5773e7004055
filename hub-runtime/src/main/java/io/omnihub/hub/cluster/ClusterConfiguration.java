package io.omnihub.hub.cluster;

import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.metrics.StageMeters;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How the hub nodes on one database keep in step (DESIGN §6: everything operators change reaches every node). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    ClusterChanges clusterChanges(DataSource dataSource, ClusterProperties properties) {
        return new ClusterChanges(dataSource, properties.getSyncInterval());
    }

    @Bean
    @DependsOnDatabaseInitialization
    ClusterNodes clusterNodes(DataSource dataSource, ClusterProperties properties, ConnectorInstances instances, StageMeters meters) {
        return new ClusterNodes(dataSource, properties, instances, meters);
    }
}
