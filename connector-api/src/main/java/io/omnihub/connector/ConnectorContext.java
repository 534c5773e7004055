package io.omnihub.connector;

import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.state.TokenCache;
import java.time.Clock;

/**
 * The runtime services an instance may use, handed to {@link ChannelConnector#open}.
 * Nothing here needs Camel, Spring or a broker.
 */
public interface ConnectorContext {

    /** The connector id, e.g. {@code wechat}. */
    String connectorId();

    /** The instance name from configuration, e.g. {@code brand-oa}. */
    String instanceId();

    /** The instance's configuration, already validated against the connector's schema. */
    InstanceConfig config();

    /**
     * The HTTP client for every call to the channel. The hub wraps it with this instance's circuit
     * breaker, retry, rate limiter and metrics, so connectors never write retry loops.
     */
    ChannelHttpClient http();

    /** A key-value cache shared by every hub node, for access tokens and small lookups. */
    TokenCache tokens();

    /** The hub's clock; use it instead of {@code Instant.now()} so tests can control time. */
    Clock clock();

    /**
     * A logger whose messages the hub masks: phone numbers, ids and configured secrets are
     * redacted before anything is written.
     */
    System.Logger logger();
}
