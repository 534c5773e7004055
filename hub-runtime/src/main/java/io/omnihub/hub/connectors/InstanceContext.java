package io.omnihub.hub.connectors;

import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.state.TokenCache;
import java.time.Clock;

/** The services one instance receives when opened. */
record InstanceContext(
        String connectorId,
        String instanceId,
        InstanceConfig config,
        ChannelHttpClient http,
        TokenCache tokens,
        Clock clock,
        System.Logger logger) implements ConnectorContext {

    @Override
    public String toString() {
        return "ConnectorContext[" + connectorId + "/" + instanceId + ", config " + config + "]";
    }
}
