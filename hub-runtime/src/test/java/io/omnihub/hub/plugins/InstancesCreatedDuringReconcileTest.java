package io.omnihub.hub.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.connectors.ConnectorInstances;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instance an operator creates over the API while the node applies other nodes' changes stays as
 * created: the node never takes it for one deleted elsewhere because it read the stored instances
 * just before the creation. Runs the hub's instance lifecycle on its real database, with the
 * reconciliation in a loop of its own as change notices would drive it.
 */
class InstancesCreatedDuringReconcileTest extends InstancesOnTheHubsDatabase {

    private static final int CREATED = 60;

    private ConnectorInstances instances;

    /** Deletes what the test created from the shared database, so no later test finds the instances stored. */
    @AfterEach
    void close() {
        if (instances != null) {
            for (int i = 0; i < CREATED; i++) {
                if (instances.status("flaky", "api-" + i).isPresent()) {
                    instances.delete("flaky", "api-" + i, "operator");
                }
            }
            instances.destroy();
        }
    }

    @Test
    void everyInstanceCreatedWhileOtherNodesChangesAreAppliedIsOpenedOnceAndKept() throws Exception {
        FlakyConnector connector = new FlakyConnector(0);
        catalog.add(new CatalogEntry("flaky-plugin", connector, connector.descriptor()));
        instances = instancesOf(new HubProperties());
        AtomicBoolean creating = new AtomicBoolean(true);
        AtomicInteger passes = new AtomicInteger();
        Thread reconciler = new Thread(() -> {
            while (creating.get()) {
                instances.reconcile();
                passes.incrementAndGet();
            }
        }, "reconcile-loop");
        reconciler.start();
        try {
            for (int i = 0; i < CREATED; i++) {
                instances.define("flaky", "api-" + i, Map.of("region", "cn"), "operator");
            }
        } finally {
            creating.set(false);
            reconciler.join();
        }
        instances.reconcile();

        assertThat(passes.get()).as("reconciliations that ran beside the creations").isPositive();
        for (int i = 0; i < CREATED; i++) {
            assertThat(instances.status("flaky", "api-" + i)).as("api-" + i).isPresent();
        }
        assertThat(connector.attempts).as("opens: one per instance, none closed and opened again").hasSize(CREATED);
    }
}
