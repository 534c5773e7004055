package io.omnihub.hub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.hub.connectors.InstanceStatus;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

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
 * @param webhookPath  where its instances receive pushes, {@code /hooks/<connector>/{instance}}, or
 *                     null when it takes none
 * @param configSchema the JSON Schema of an instance's configuration (secrets marked
 *                     {@code x-secret}); only in {@code GET /api/v1/connectors/{id}}
 */
public record ConnectorView(
        String id,
        boolean installed,
        String plugin,
        String name,
        String version,
        String channel,
        Set<ConnectorDescriptor.Capability> capabilities,
        List<InstanceStatus> instances,
        String webhookPath,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode configSchema) {
}
