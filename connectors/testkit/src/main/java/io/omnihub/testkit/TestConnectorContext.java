package io.omnihub.testkit;

import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.state.TokenCache;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ConnectorContext} for connector tests: real HTTP (point the config at WireMock), an
 * in-memory token cache and a {@link MutableClock}.
 */
public final class TestConnectorContext implements ConnectorContext {

    private final String connectorId;
    private final String instanceId;
    private final InstanceConfig config;
    private final ChannelHttpClient http;
    private final InMemoryTokenCache tokens;
    private final MutableClock clock;
    private final RecordingLogger logger;
    private final List<HttpRequest> sent = new CopyOnWriteArrayList<>();

    public TestConnectorContext(String connectorId, String instanceId, Map<String, String> config,
                                Set<String> secretKeys, MutableClock clock) {
        this(connectorId, instanceId, new InstanceConfig(config, secretKeys), new JdkChannelHttpClient(),
                new InMemoryTokenCache(clock), clock, new RecordingLogger("connector." + connectorId + "." + instanceId));
    }

    private TestConnectorContext(String connectorId, String instanceId, InstanceConfig config, ChannelHttpClient http,
                                 InMemoryTokenCache tokens, MutableClock clock, RecordingLogger logger) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.config = config;
        this.http = http;
        this.tokens = tokens;
        this.clock = clock;
        this.logger = logger;
    }

    /**
     * This context with another HTTP client (a fake channel, a client that fails on purpose); the
     * configuration, clock, token cache and logger stay the same. Requests are still recorded.
     */
    public TestConnectorContext withHttp(ChannelHttpClient other) {
        return new TestConnectorContext(connectorId, instanceId, config, other, tokens, clock, logger);
    }

    /**
     * This context as another hub node of the same cluster would see it: its own HTTP client and
     * records, but {@code node}'s token cache, which the hub shares across nodes.
     */
    public TestConnectorContext withTokensOf(TestConnectorContext node) {
        return new TestConnectorContext(connectorId, instanceId, config, http, node.tokens, clock, logger);
    }

    /** A context whose clock starts at the current time. */
    public static TestConnectorContext of(String connectorId, String instanceId, Map<String, String> config) {
        return new TestConnectorContext(connectorId, instanceId, config, Set.of(), new MutableClock(Instant.now()));
    }

    @Override
    public String connectorId() {
        return connectorId;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public InstanceConfig config() {
        return config;
    }

    /** The HTTP client; every request sent through it is recorded (see {@link #sentRequests()}). */
    @Override
    public ChannelHttpClient http() {
        return request -> {
            sent.add(request);
            return http.send(request);
        };
    }

    /** Every request the connector sent through {@link #http()}, oldest first. */
    public List<HttpRequest> sentRequests() {
        return List.copyOf(sent);
    }

    @Override
    public TokenCache tokens() {
        return tokens;
    }

    /** The cache, typed, for asserting fetch counts. */
    public InMemoryTokenCache tokenCache() {
        return tokens;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** The clock, typed, for moving time. */
    public MutableClock mutableClock() {
        return clock;
    }

    /**
     * A logger named {@code connector.<connector>.<instance>} that keeps every message (see
     * {@link #logLines()}) besides writing it to the JVM's logger. Unlike the hub's, it masks
     * nothing, so tests see exactly what the connector logged.
     */
    @Override
    public System.Logger logger() {
        return logger;
    }

    /** Every message the connector logged through {@link #logger()}, formatted, oldest first. */
    public List<String> logLines() {
        return logger.lines();
    }
}
