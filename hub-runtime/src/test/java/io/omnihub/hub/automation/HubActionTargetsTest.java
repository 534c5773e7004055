package io.omnihub.hub.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.InstancePausedException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HubActionTargetsTest {

    final ResilienceRegistries resilience = ResilienceRegistries.create();
    final ConnectorRegistry nothingRunning = new ConnectorRegistry() {
        @Override
        public Optional<io.omnihub.connector.ConnectorInstance> find(String connectorId, String instanceId) {
            return Optional.empty();
        }

        @Override
        public List<RunningInstance> running() {
            return List.of();
        }

        @Override
        public void failed(String connectorId, String instanceId, String reason) {
        }

        @Override
        public void rateLimited(String connectorId, String instanceId, RateLimitedException refusal) {
        }
    };
    final HubActionTargets targets = new HubActionTargets(nothingRunning, resilience, Map.of());

    @Test
    void anOpenCircuitHoldsBackThatInstancesActionsOnly() {
        CircuitBreaker breaker = resilience.circuitBreakers().circuitBreaker("wechat/brand-oa");
        breaker.transitionToOpenState();

        // held, not failed: no retry attempt is used up however long the circuit stays open (DESIGN §4)
        assertThatThrownBy(() -> targets.sender("wechat", "brand-oa")).isInstanceOf(InstancePausedException.class)
                .hasMessage("connector instance wechat/brand-oa has an open circuit breaker: its actions wait until it closes");
        assertThat(targets.sender("wechat", "other-oa")).isEmpty();

        breaker.transitionToHalfOpenState();
        assertThat(targets.sender("wechat", "brand-oa")).isEmpty();
    }

    @Test
    void anInstanceAnOperatorPausedHoldsItsActionsWhileAStoppedOneHasNoSender() {
        ConnectorInstance paused = (ConnectorInstance) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConnectorInstance.class}, (proxy, method, args) -> null);
        ConnectorRegistry registry = new ConnectorRegistry() {
            @Override
            public Optional<ConnectorInstance> find(String connectorId, String instanceId) {
                return Optional.empty();
            }

            @Override
            public Optional<ConnectorInstance> receiving(String connectorId, String instanceId) {
                return "brand-oa".equals(instanceId) ? Optional.of(paused) : Optional.empty();
            }

            @Override
            public List<RunningInstance> running() {
                return List.of();
            }

            @Override
            public void failed(String connectorId, String instanceId, String reason) {
            }

            @Override
            public void rateLimited(String connectorId, String instanceId, RateLimitedException refusal) {
            }
        };
        HubActionTargets withPaused = new HubActionTargets(registry, resilience, Map.of());

        assertThatThrownBy(() -> withPaused.sender("wechat", "brand-oa")).isInstanceOf(InstancePausedException.class)
                .hasMessage("connector instance wechat/brand-oa is paused");
        assertThat(withPaused.sender("wechat", "stopped-oa")).isEmpty(); // retried, then parked on the dead-letter queue
    }

    @Test
    void webhooksAndWeChatTemplatesCarryAnIdempotencyKeyAndOtherKindsDoNot() {
        assertThat(targets.carriesIdempotencyKey("webhook", "webhook")).isTrue();
        assertThat(targets.carriesIdempotencyKey("wechat", "wechat.template")).isTrue();
        assertThat(targets.carriesIdempotencyKey("wechat", "wechat.subscribe")).isFalse();
    }

    @Test
    void anInstanceThatIsNotRunningHasNoSenderForNowAndAnUnknownWebhookTargetIsBadInput() {
        assertThat(targets.sender("douyin", "shop")).isEmpty();
        assertThatThrownBy(() -> targets.sender("webhook", "nowhere")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("hub.automation.webhooks.nowhere.url");
    }
}
