package io.omnihub.routes.stage;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.routes.ConnectorRegistry;
import java.util.List;
import java.util.Optional;

/** A registry in which one instance, {@code wechat/brand-oa}, is running; it ignores what it is told of failures. */
final class OneRunningInstance {

    private OneRunningInstance() {
    }

    static ConnectorRegistry of(ConnectorInstance instance) {
        return new ConnectorRegistry() {
            @Override
            public Optional<ConnectorInstance> find(String connectorId, String instanceId) {
                return Optional.of(instance);
            }

            @Override
            public List<RunningInstance> running() {
                return List.of(new RunningInstance("wechat", "brand-oa", instance));
            }

            @Override
            public void failed(String connectorId, String instanceId, String reason) {
            }

            @Override
            public void rateLimited(String connectorId, String instanceId, RateLimitedException refusal) {
            }
        };
    }
}
