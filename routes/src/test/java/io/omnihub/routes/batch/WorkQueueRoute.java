package io.omnihub.routes.batch;

import io.omnihub.routes.broker.DeadLetterCapacity;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A stage reading the work queue of a real in-VM broker through the {@code jms-batch} component, in
 * a Camel context of its own; closing it stops Camel, then the broker.
 */
final class WorkQueueRoute implements AutoCloseable {

    private final InVmBroker broker = new InVmBroker();
    private final ActiveMQConnectionFactory factory = broker.connectionFactory();
    private final CamelContext camel = new DefaultCamelContext();

    WorkQueueRoute() throws Exception {
    }

    InVmBroker broker() {
        return broker;
    }

    /**
     * Starts the route from {@link InVmBroker#WORK} into {@code stage}.
     *
     * @param options the endpoint's options, e.g. {@code consumers=1&batchSize=10}
     */
    void start(DeadLetterCapacity deadLetters, IngressPriority priority, String options, Processor stage) throws Exception {
        camel.addComponent("jms-batch", new JmsBatchComponent(factory, deadLetters, priority));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms-batch:" + InVmBroker.WORK + "?" + options).process(stage);
            }
        });
        camel.start();
    }

    @Override
    public void close() throws Exception {
        camel.stop();
        factory.close();
        broker.close();
    }
}
