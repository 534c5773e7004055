package io.omnihub.connectors.wechat;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The WeChat connector: Official Accounts (公众号) and WeCom (企业微信) apps, one instance per
 * account. Stateless; everything per account lives in the instances it opens.
 */
@Extension
public class WeChatConnector implements ChannelConnector {

    public static final String ID = "wechat";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
            WeChatConnector.class,
            ID,
            "WeChat (Official Account and WeCom)",
            "wechat",
            Set.of(Capability.WEBHOOK, Capability.ENRICH, Capability.ACTIONS));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new WeChatInstance(context, WeChatConfig.from(context.config()));
    }
}
