package io.omnihub.hub.plugins;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.cluster.ClusterChanges;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.hub.sealing.Sealer;
import io.omnihub.hub.tokens.TokenCacheHousekeeping;
import java.net.http.HttpClient;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Plugins, the connector catalog they fill, and the connector instances opened from it. */
@Configuration(proxyBeanMethods = false)
public class PluginConfiguration {

    @Bean
    ConnectorCatalog connectorCatalog() {
        return new ConnectorCatalog();
    }

    @Bean
    PluginRuntime pluginRuntime(HubProperties properties, ConnectorCatalog catalog) {
        return new PluginRuntime(properties, catalog);
    }

    @Bean
    @DependsOnDatabaseInitialization
    ClusterPlugins clusterPlugins(PluginRuntime runtime, DataSource dataSource, ClusterChanges clusterChanges, Clock clock) {
        return new ClusterPlugins(runtime, new JdbcPluginStore(dataSource, clusterChanges), clusterChanges, clock);
    }

    @Bean
    @DependsOnDatabaseInitialization
    ConnectorInstances connectorInstances(HubProperties properties, ConnectorCatalog catalog, HttpClient channelHttpClient,
                                          ResilienceRegistries registries, DataSource dataSource, Clock clock, Sealer sealer,
                                          ClusterChanges clusterChanges) {
        return new ConnectorInstances(properties, catalog, channelHttpClient, registries, dataSource, clock, sealer, clusterChanges);
    }

    @Bean
    @DependsOnDatabaseInitialization
    TokenCacheHousekeeping tokenCacheHousekeeping(DataSource dataSource, Clock clock) {
        return new TokenCacheHousekeeping(dataSource, clock);
    }
}
