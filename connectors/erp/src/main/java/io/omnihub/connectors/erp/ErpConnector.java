package io.omnihub.connectors.erp;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The ERP connector: Kingdee K/3 Cloud (金蝶云星空) over its WebAPI, one instance per data center
 * and user. Polls changed customers and sales orders; saves customers and sales orders.
 * Stateless; everything per account lives in the instances it opens.
 *
 * <p>The connector id is {@value #ID}, the id of the plugin, so that instances are configured under
 * {@code hub.connectors.erp.<instance>.*}; Kingdee is the only ERP it speaks today.
 */
@Extension
public class ErpConnector implements ChannelConnector {

    public static final String ID = "erp";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
            ErpConnector.class,
            ID,
            "Kingdee K/3 Cloud (金蝶云星空) ERP",
            "erp",
            Set.of(Capability.POLL, Capability.ACTIONS));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new ErpInstance(context, KingdeeConfig.from(context.config()));
    }
}
