package io.omnihub.connectors.pos;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The store POS connector: sales tickets from a store's till, one instance per ticket source.
 * An instance reads either a Pospal-style cloud API ({@code source: cloud-api}) or CSV files
 * dropped in a folder ({@code source: csv-folder}); both give {@code store.purchased} events.
 * Stateless; everything per source lives in the instances it opens.
 */
@Extension
public class PosConnector implements ChannelConnector {

    public static final String ID = "pos";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
            PosConnector.class,
            ID,
            "Store POS (Pospal cloud API, CSV folder)",
            "pos",
            // Both sources are pulled; tills push nothing and the connector writes nothing back.
            Set.of(Capability.POLL));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        PosConfig common = PosConfig.from(context.config(), context.instanceId());
        return switch (common.source()) {
            case CLOUD_API -> new PospalInstance(context, PospalConfig.from(context.config(), common));
            case CSV_FOLDER -> new CsvFolderInstance(context, CsvFolderConfig.from(context.config(), common));
        };
    }
}
