package io.omnihub.testkit;

import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.state.TokenCache;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    public TestConnectorContext(String connectorId, String instanceId, Map<String, String> config,
                                Set<String> secretKeys, MutableClock clock) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.config = new InstanceConfig(config, secretKeys);
        this.http = new JdkChannelHttpClient();
        this.clock = clock;
        this.tokens = new InMemoryTokenCache(clock);
        this.logger = new RecordingLogger("connector." + connectorId + "." + instanceId);
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

    @Override
    public ChannelHttpClient http() {
        return http;
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
