package io.omnihub.connectors.douyin;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The Douyin connector: Douyin Open Platform apps (抖音开放平台, kind {@code open}) and 抖店 shops
 * (kind {@code shop}), one instance per app or shop. Both only receive pushes; neither polls nor
 * sends actions. Stateless; everything per account lives in the instances it opens.
 */
@Extension
public class DouyinConnector implements ChannelConnector {

    public static final String ID = "douyin";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
            DouyinConnector.class,
            ID,
            "Douyin (Open Platform and 抖店)",
            "douyin",
            Set.of(Capability.WEBHOOK));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        DouyinConfig config = DouyinConfig.from(context.config());
        return switch (config.kind()) {
            case OPEN -> new DouyinOpenInstance(context, config);
            case SHOP -> new DoudianInstance(context, config);
        };
    }
}
