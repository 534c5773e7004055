package io.omnihub.hub.plugins;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.hub.HubProperties;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.connectors.InstanceState;
import io.omnihub.hub.connectors.InstanceStatus;
import io.omnihub.routes.InstanceUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Closing an instance refuses new calls before they reach the connector and lets the connector
 * release what its calls use only once the calls in progress have ended, whether an operator stops it
 * or its plugin goes; an operator's stop, and the instance's status, do not wait for those calls.
 * Runs the hub's instance lifecycle on its real database with a connector whose calls wait until the
 * test lets them end.
 */
class InstanceCloseTest extends InstancesOnTheHubsDatabase {

    private final HeldConnector connector = new HeldConnector();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private ConnectorInstances instances;

    /** Forgets the states operators asked for here, so the shared database holds none of them for later tests. */
    @AfterEach
    void close() {
        connector.release();
        threads.shutdownNow();
        if (instances != null) {
            instances.destroy();
        }
        new JdbcTemplate(dataSource).update("delete from hub_instance_state where connector = 'held'");
    }

    @Test
    void anOperatorsStopRefusesTheNextWebhookAtOnceAndClosesTheConnectorOnlyAfterTheOneInProgress() throws Exception {
        instances = runningHeldInstance("stopped");
        WebhookHandler handler = instances.receiving("held", "stopped").orElseThrow().webhook().orElseThrow();
        Future<WebhookResult> inProgress = threads.submit(() -> handler.handle(request("first")));
        connector.awaitCallStarted();

        InstanceStatus stopped = threads.submit(() -> instances.stop("held", "stopped", "operator")).get(5, SECONDS);

        assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(instances.receiving("held", "stopped")).isEmpty();
        assertThatThrownBy(() -> handler.handle(request("second")))
                .isInstanceOf(InstanceUnavailableException.class)
                .hasMessageContaining("held/stopped is closing");
        assertThat(connector.log).containsExactly("webhook first started");

        connector.release();

        assertThat(inProgress.get(10, SECONDS).reply().status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.log.contains("closed"));
        assertThat(connector.log).containsExactly("webhook first started", "webhook first ended, client open", "closed");
    }

    @Test
    void aPluginThatGoesIsUnloadedOnlyAfterThePollInProgressHasEnded() throws Exception {
        instances = runningHeldInstance("unloaded");
        Poller poller = instances.find("held", "unloaded").orElseThrow().poller().orElseThrow();
        Future<PollResult> inProgress = threads.submit(() -> poller.poll(Optional.empty()));
        connector.awaitCallStarted();

        Future<?> removal = threads.submit(() -> catalog.removePlugin("held-plugin"));

        await().atMost(Duration.ofSeconds(10)).until(() -> instances.find("held", "unloaded").isEmpty());
        // Nothing reopens it on the going plugin meanwhile.
        assertThat(instances.restart("held", "unloaded", "operator").state()).isEqualTo(InstanceState.STOPPED);
        assertThat(removal).isNotDone();

        connector.release();

        assertThat(inProgress.get(10, SECONDS).nextCheckpoint()).isEqualTo("next");
        removal.get(10, SECONDS);
        assertThat(catalog.find("held")).isEmpty();
        assertThat(connector.log).containsExactly("poll started", "poll ended, client open", "closed");
        assertThat(instances.status("held", "unloaded").orElseThrow().error()).contains("not installed");
    }

    private ConnectorInstances runningHeldInstance(String instanceId) {
        HubProperties properties = new HubProperties();
        properties.setConnectors(Map.of("held", Map.of(instanceId, Map.of())));
        ConnectorInstances created = instancesOf(properties);
        catalog.add(new CatalogEntry("held-plugin", connector, connector.descriptor()));
        assertThat(created.status("held", instanceId).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
        return created;
    }

    private static WebhookRequest request(String body) {
        return new WebhookRequest("POST", Map.of(), Map.of(), body.getBytes(StandardCharsets.UTF_8), Instant.now());
    }
}
