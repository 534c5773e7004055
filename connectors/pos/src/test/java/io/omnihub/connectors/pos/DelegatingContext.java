package io.omnihub.connectors.pos;

import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.state.TokenCache;
import java.time.Clock;

/** A test context with another HTTP client. */
final class DelegatingContext implements ConnectorContext {

    private final ConnectorContext base;
    private final ChannelHttpClient http;

    DelegatingContext(ConnectorContext base, ChannelHttpClient http) {
        this.base = base;
        this.http = http;
    }

    @Override
    public String connectorId() {
        return base.connectorId();
    }

    @Override
    public String instanceId() {
        return base.instanceId();
    }

    @Override
    public InstanceConfig config() {
        return base.config();
    }

    @Override
    public ChannelHttpClient http() {
        return http;
    }

    @Override
    public TokenCache tokens() {
        return base.tokens();
    }

    @Override
    public Clock clock() {
        return base.clock();
    }

    @Override
    public System.Logger logger() {
        return base.logger();
    }
}
