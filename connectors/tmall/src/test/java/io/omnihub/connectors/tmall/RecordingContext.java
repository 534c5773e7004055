package io.omnihub.connectors.tmall;

import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.state.TokenCache;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link TestConnectorContext} that also keeps every {@link HttpRequest} the connector sent, as sent. */
final class RecordingContext implements ConnectorContext {

    private final TestConnectorContext base;
    private final List<HttpRequest> sent = new CopyOnWriteArrayList<>();

    RecordingContext(TestConnectorContext base) {
        this.base = base;
    }

    List<HttpRequest> sent() {
        return List.copyOf(sent);
    }

    TestConnectorContext base() {
        return base;
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
        return request -> {
            sent.add(request);
            return base.http().send(request);
        };
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
