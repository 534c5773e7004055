package io.omnihub.connectors.tmall;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The Tmall/Taobao connector: one instance per shop, reading trades and refunds through the TOP
 * gateway (TMC pull mode and the incremental trade sync). Stateless; everything per shop lives in
 * the instances it opens.
 */
@Extension
public class TmallConnector implements ChannelConnector {

    public static final String ID = "tmall";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
            TmallConnector.class,
            ID,
            "Tmall / Taobao (TOP)",
            "tmall",
            Set.of(Capability.POLL));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new TmallInstance(context, TmallConfig.from(context.config()));
    }
}
