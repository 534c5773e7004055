package ${package};

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The ${channelName} connector: what the hub lists, validates configuration against, and opens
 * instances of. Stateless; everything per account lives in {@link ${className}Instance}.
 */
@Extension
public class ${className}Connector implements ChannelConnector {

    /** The connector id: webhooks arrive at {@code /hooks/${connectorId}/<instance>}. */
    public static final String ID = "${connectorId}";

    /**
     * The version is the one Maven writes into {@code connector.properties}; the configuration of one
     * instance, {@code hub.connectors.${connectorId}.<instance>.*}, is described by the JSON Schema in
     * {@code config.schema.json}. Both files are in {@code src/main/resources}, in this package.
     */
    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
            ${className}Connector.class, ID, "${channelName}", ID,
            Set.of(Capability.WEBHOOK, Capability.POLL, Capability.ACTIONS));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new ${className}Instance(context);
    }
}
