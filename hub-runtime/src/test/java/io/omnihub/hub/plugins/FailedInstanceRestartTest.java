package io.omnihub.hub.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.connectors.InstanceState;
import io.omnihub.hub.connectors.InstanceStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Failed is not final": an instance that fails to open for a passing reason is restarted on its own,
 * each wait twice the one before, never longer than the cap; one whose configuration is refused stays
 * FAILED until an operator acts. Runs the hub's instance lifecycle on its real database with a
 * connector that fails on purpose.
 */
class FailedInstanceRestartTest extends InstancesOnTheHubsDatabase {

    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofMillis(400);

    private ConnectorInstances instances;

    @AfterEach
    void close() {
        if (instances != null) {
            instances.destroy();
        }
    }

    @Test
    void anInstanceThatFailsToOpenIsRestartedWithDoublingDelaysUpToTheCapUntilItRuns() {
        FlakyConnector flaky = new FlakyConnector(5);
        instances = restartingQuickly(Map.of("flaky", Map.of("one", Map.of("region", "cn"))));
        catalog.add(new CatalogEntry("flaky-plugin", flaky, flaky.descriptor()));

        InstanceStatus failed = instances.status("flaky", "one").orElseThrow();
        assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
        assertThat(failed.error()).contains("could not open", "channel not reachable yet");
        assertThat(failed.restarts()).isEqualTo(1);
        assertThat(failed.nextRestartAt()).isNotNull();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> instances.status("flaky", "one").orElseThrow().state() == InstanceState.RUNNING);

        assertThat(flaky.attempts).hasSize(6);
        List<Long> waits = flaky.waits();
        // 100, 200, 400, then capped at 400 (timer slack allowed above, never below).
        assertThat(waits.get(0)).isBetween(100L, 350L);
        assertThat(waits.get(1)).isBetween(200L, 450L);
        assertThat(waits.get(2)).isBetween(400L, 650L);
        assertThat(waits.get(3)).isBetween(400L, 650L);
        assertThat(waits.get(4)).isBetween(400L, 650L);
        InstanceStatus running = instances.status("flaky", "one").orElseThrow();
        assertThat(running.restarts()).isZero();
        assertThat(running.nextRestartAt()).isNull();
        assertThat(instances.find("flaky", "one")).isPresent();
    }

    @Test
    void anInstanceWhoseConfigurationBreaksTheSchemaStaysFailedWithoutRestarts() {
        FlakyConnector flaky = new FlakyConnector(0);
        instances = restartingQuickly(Map.of("flaky", Map.of("two", Map.of("region", "mars"))));
        catalog.add(new CatalogEntry("flaky-plugin", flaky, flaky.descriptor()));

        InstanceStatus status = instances.status("flaky", "two").orElseThrow();

        assertThat(status.state()).isEqualTo(InstanceState.FAILED);
        assertThat(status.error()).contains("invalid configuration", "region");
        assertThat(status.nextRestartAt()).isNull();
        assertThat(flaky.attempts).isEmpty();
    }

    @Test
    void restartDelaysDoubleFromTheFirstAndStopAtTheCap() {
        assertThat(List.of(1, 2, 3, 4, 30).stream()
                .map(n -> ConnectorInstances.restartDelay(n, Duration.ofSeconds(1), Duration.ofMinutes(5)).toSeconds()).toList())
                .containsExactly(1L, 2L, 4L, 8L, 300L);
    }

    private ConnectorInstances restartingQuickly(Map<String, Map<String, Map<String, String>>> connectors) {
        HubProperties properties = new HubProperties();
        properties.setConnectors(connectors);
        properties.getInstanceRestart().setInitialDelay(FIRST);
        properties.getInstanceRestart().setMaxDelay(CAP);
        return instancesOf(properties);
    }
}
