package io.omnihub.routes.stage;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.routes.ConnectorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A registry in which one instance is running; it finds that instance under any ids and remembers
 * what it is told of failures, as {@code connector/instance: reason} and
 * {@code connector/instance rate-limited: message}. {@link #close()} stops the instance: it stays
 * configured but is no longer found.
 */
public final class OneRunningInstance implements ConnectorRegistry {

    private final String connectorId;
    private final String instanceId;
    private final ConnectorInstance instance;
    private final List<String> failures = new ArrayList<>();
    private volatile boolean closed;

    private OneRunningInstance(String connectorId, String instanceId, ConnectorInstance instance) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.instance = instance;
    }

    /** The instance running as {@code wechat/brand-oa}. */
    public static OneRunningInstance of(ConnectorInstance instance) {
        return of("wechat", "brand-oa", instance);
    }

    /** The instance running under these ids. */
    public static OneRunningInstance of(String connectorId, String instanceId, ConnectorInstance instance) {
        return new OneRunningInstance(connectorId, instanceId, instance);
    }

    /** What the registry was told of failures, oldest first. */
    public List<String> failures() {
        return failures;
    }

    /** Stops the instance, as an operator or a plugin being unloaded would. */
    public void close() {
        closed = true;
    }

    @Override
    public Optional<ConnectorInstance> find(String connectorId, String instanceId) {
        return closed ? Optional.empty() : Optional.of(instance);
    }

    @Override
    public boolean configured(String connectorId, String instanceId) {
        return true;
    }

    @Override
    public List<RunningInstance> running() {
        return List.of(new RunningInstance(connectorId, instanceId, instance));
    }

    @Override
    public void failed(String connectorId, String instanceId, String reason) {
        failures.add(connectorId + "/" + instanceId + ": " + reason);
    }

    @Override
    public void rateLimited(String connectorId, String instanceId, RateLimitedException refusal) {
        failures.add(connectorId + "/" + instanceId + " rate-limited: " + refusal.getMessage());
    }
}
