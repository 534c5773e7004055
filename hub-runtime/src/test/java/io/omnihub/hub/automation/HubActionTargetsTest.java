package io.omnihub.hub.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.routes.ConnectorRegistry;
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

        assertThatThrownBy(() -> targets.sender("wechat", "brand-oa")).isInstanceOf(TransientException.class)
                .hasMessage("circuit breaker of wechat/brand-oa is open: its actions wait until it closes");
        assertThat(targets.sender("wechat", "other-oa")).isEmpty();

        breaker.transitionToHalfOpenState();
        assertThat(targets.sender("wechat", "brand-oa")).isEmpty();
    }

    @Test
    void anInstanceThatIsNotRunningHasNoSenderForNowAndAnUnknownWebhookTargetIsBadInput() {
        assertThat(targets.sender("douyin", "shop")).isEmpty();
        assertThatThrownBy(() -> targets.sender("webhook", "nowhere")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("hub.automation.webhooks.nowhere.url");
    }
}
