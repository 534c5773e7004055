package io.omnihub.hub.plugins;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.RunningHub;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.hub.sealing.Sealer;
import java.net.http.HttpClient;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hub's instance lifecycle on the running hub's real database, for test connectors offered
 * through a catalog of the test's own; the test destroys the instances it makes.
 */
abstract class InstancesOnTheHubsDatabase extends RunningHub {

    @Autowired
    DataSource dataSource;

    @Autowired
    Sealer sealer;

    @Autowired
    ResilienceRegistries registries;

    final ConnectorCatalog catalog = new ConnectorCatalog();

    /** The instances {@code properties} configure, told about the catalog's connectors from now on. */
    ConnectorInstances instancesOf(HubProperties properties) {
        ConnectorInstances created = new ConnectorInstances(properties, catalog, HttpClient.newHttpClient(), registries,
                dataSource, Clock.systemUTC(), sealer);
        created.afterPropertiesSet();
        return created;
    }
}
