package io.omnihub.connectors.douyin;

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
 * A {@link ConnectorContext} whose HTTP client remembers every request it sends, so tests can see
 * what the hub's resilience layer would see (which requests are marked read-only).
 */
final class RecordingHttp implements ConnectorContext {

    private final TestConnectorContext delegate;
    private final List<HttpRequest> sent = new CopyOnWriteArrayList<>();
    private final ChannelHttpClient http;

    RecordingHttp(TestConnectorContext delegate) {
        this.delegate = delegate;
        this.http = request -> {
            sent.add(request);
            HttpResponse response = delegate.http().send(request);
            return response;
        };
    }

    /** Every request sent so far, oldest first. */
    List<HttpRequest> sent() {
        return List.copyOf(sent);
    }

    @Override
    public String connectorId() {
        return delegate.connectorId();
    }

    @Override
    public String instanceId() {
        return delegate.instanceId();
    }

    @Override
    public InstanceConfig config() {
        return delegate.config();
    }

    @Override
    public ChannelHttpClient http() {
        return http;
    }

    @Override
    public TokenCache tokens() {
        return delegate.tokens();
    }

    @Override
    public Clock clock() {
        return delegate.clock();
    }

    @Override
    public System.Logger logger() {
        return delegate.logger();
    }
}
