package io.omnihub.testsupport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Entries found by id in the hub's listings, as tests read them from its API: a plugin in a
 * {@code GET /api/v1/plugins} answer, a connector instance in a {@code GET /api/v1/connectors}
 * answer. Jackson 2 is the caller's ({@code provided} here), as the tests that read the hub's
 * answers parse them with it.
 */
public final class HubListings {

    private HubListings() {
    }

    /** The plugin with this id in a {@code /api/v1/plugins} answer, or null. */
    public static JsonNode plugin(JsonNode plugins, String id) {
        for (JsonNode plugin : plugins) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin;
            }
        }
        return null;
    }

    /** The instance of this connector in a {@code /api/v1/connectors} answer, or null. */
    public static JsonNode instance(JsonNode connectors, String connectorId, String instanceId) {
        for (JsonNode connector : connectors) {
            if (connectorId.equals(connector.path("id").asText())) {
                for (JsonNode instance : connector.path("instances")) {
                    if (instanceId.equals(instance.path("instance").asText())) {
                        return instance;
                    }
                }
            }
        }
        return null;
    }
}
