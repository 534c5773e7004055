package io.omnihub.hub.plugins;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorDescriptor;

/**
 * A connector a started plugin contributes.
 *
 * @param pluginId   the plugin it comes from
 * @param connector  the extension instance, created once when the plugin started
 * @param descriptor what the connector said about itself at that time
 */
public record CatalogEntry(String pluginId, ChannelConnector connector, ConnectorDescriptor descriptor) {

    /** The connector id, e.g. {@code wechat}. */
    public String connectorId() {
        return descriptor.id();
    }
}
