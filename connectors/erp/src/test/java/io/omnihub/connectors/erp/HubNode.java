package io.omnihub.connectors.erp;

import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.state.TokenCache;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ConnectorContext} like one hub node's: a test context whose token cache can be another
 * node's (the hub shares it across the cluster) and whose HTTP client records what was sent.
 */
final class HubNode implements ConnectorContext {

    private final TestConnectorContext base;
    private final TokenCache tokens;
    private final List<HttpRequest> sent = new CopyOnWriteArrayList<>();
    private final ChannelHttpClient http;

    HubNode(TestConnectorContext base) {
        this(base, base.tokens(), base.http());
    }

    HubNode(TestConnectorContext base, TokenCache tokens, ChannelHttpClient http) {
        this.base = base;
        this.tokens = tokens;
        this.http = http;
    }

    /** Another node of the same cluster: its own HTTP client, the same token cache. */
    HubNode otherNode(TestConnectorContext otherBase) {
        return new HubNode(otherBase, tokens, otherBase.http());
    }

    /** Every request sent through {@link #http()}. */
    List<HttpRequest> sent() {
        return List.copyOf(sent);
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
        return this::send;
    }

    private HttpResponse send(HttpRequest request) {
        sent.add(request);
        return http.send(request);
    }

    @Override
    public TokenCache tokens() {
        return tokens;
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
