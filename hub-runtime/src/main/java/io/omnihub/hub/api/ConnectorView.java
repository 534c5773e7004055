package io.omnihub.hub.api;

import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.hub.connectors.InstanceStatus;
import java.util.List;
import java.util.Set;

/**
 * A connector and its configured instances.
 *
 * @param id           the connector id
 * @param installed    whether a started plugin provides it; when false only {@code id} and {@code instances} are known
 * @param plugin       the plugin providing it
 * @param name         its human-readable name
 * @param version      its version
 * @param channel      its channel family
 * @param capabilities what its instances may offer
 * @param instances    its configured instances
 */
public record ConnectorView(
        String id,
        boolean installed,
        String plugin,
        String name,
        String version,
        String channel,
        Set<ConnectorDescriptor.Capability> capabilities,
        List<InstanceStatus> instances) {
}
