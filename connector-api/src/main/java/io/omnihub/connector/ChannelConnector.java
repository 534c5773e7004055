package io.omnihub.connector;

import org.pf4j.ExtensionPoint;

/**
 * The extension a connector plugin contributes for one channel, such as WeChat or a POS vendor.
 *
 * <p>Annotate implementations with {@code @org.pf4j.Extension}; the hub discovers them when the
 * plugin starts. An implementation is stateless: everything per account lives in the
 * {@link ConnectorInstance}s it opens. It must have a public no-argument constructor.
 */
public interface ChannelConnector extends ExtensionPoint {

    /**
     * Describes this connector: its id, version, capabilities and configuration schema. Called once
     * when the plugin starts and whenever an operator lists connectors; must be cheap and constant.
     */
    ConnectorDescriptor descriptor();

    /**
     * Opens one instance for one configured account. The hub has already validated
     * {@code context.config()} against {@link ConnectorDescriptor#configSchema()}.
     *
     * <p>Must not block on the network: check reachability in {@link ConnectorInstance#check()}.
     *
     * @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work (the
     *     instance is marked FAILED with the message and not retried until its configuration changes)
     */
    ConnectorInstance open(ConnectorContext context);
}
