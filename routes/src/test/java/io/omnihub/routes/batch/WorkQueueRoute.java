package io.omnihub.routes.batch;

import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.DeadLetterCapacity;
import io.omnihub.routes.broker.InVmBroker;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A stage reading the work queue of a real in-VM broker (no persistence) through the
 * {@code jms-batch} component, in a Camel context of its own; the broker parks a work message on
 * the dead-letter queue after {@link #MAX_DELIVERIES} deliveries. Closing it stops Camel, then the
 * broker.
 */
final class WorkQueueRoute implements AutoCloseable {

    static final String WORK = "work";
    static final String OUT = "out";
    static final int MAX_DELIVERIES = 3;

    private final InVmBroker broker;
    private final CamelContext camel = new DefaultCamelContext();

    WorkQueueRoute() throws Exception {
        ConfigurationImpl configuration = InVmBroker.inMemory();
        configuration.addAddressSetting(WORK, new AddressSettings()
                .setMaxDeliveryAttempts(MAX_DELIVERIES)
                .setRedeliveryDelay(0)
                .setDeadLetterAddress(SimpleString.of(Queues.DLQ)));
        broker = InVmBroker.start(configuration, WORK, OUT, Queues.DLQ);
    }

    InVmBroker broker() {
        return broker;
    }

    /**
     * Starts the route from {@link #WORK} into {@code stage}.
     *
     * @param options the endpoint's options, e.g. {@code consumers=1&batchSize=10}
     */
    void start(DeadLetterCapacity deadLetters, IngressPriority priority, String options, Processor stage) throws Exception {
        camel.addComponent("jms-batch", new JmsBatchComponent(broker.factory(), deadLetters, priority));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms-batch:" + WORK + "?" + options).process(stage);
            }
        });
        camel.start();
    }

    @Override
    public void close() throws Exception {
        camel.stop();
        broker.close();
    }
}
