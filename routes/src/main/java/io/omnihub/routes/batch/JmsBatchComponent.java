package io.omnihub.routes.batch;

import io.omnihub.routes.broker.DeadLetterCapacity;
import jakarta.jms.ConnectionFactory;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code jms-batch:<queue>?consumers=2&batchSize=100&lingerMillis=2}: consumes a queue in transacted
 * batches. Each exchange carries a {@code List<BrokerMessage>}; whatever the route sends through the
 * {@link StageOutput} in exchange property {@link #OUTPUT} commits in the same transaction as the
 * batch's acknowledgement. A failed exchange rolls the whole batch back for redelivery, unless the
 * hub's database or broker failed (see {@link io.omnihub.routes.stage.InfrastructureFaults}): then
 * the batch is held, unacknowledged and with nothing sent, and tried again with growing pauses until
 * it goes through, with no delivery attempt counted. A batch with something to park also waits while
 * the dead-letter queue is full. Consumers wait for a busy ingress before each batch
 * ({@link IngressPriority}); an endpoint opts out with {@code yieldToIngress=false}.
 *
 * <p>Batching is what lets the core apply many events per database transaction (DESIGN §4), which
 * the plain JMS component, one message per exchange, cannot do.
 */
public final class JmsBatchComponent extends DefaultComponent {

    /** Exchange property holding the batch's {@link StageOutput}. */
    public static final String OUTPUT = "hubStageOutput";

    private final ConnectionFactory connectionFactory;
    private final DeadLetterCapacity deadLetters;
    private final IngressPriority ingressPriority;

    public JmsBatchComponent(ConnectionFactory connectionFactory) {
        this(connectionFactory, DeadLetterCapacity.UNKNOWN);
    }

    /** @param deadLetters whether {@code hub.dlq} can take more; a batch with something to park waits while it cannot */
    public JmsBatchComponent(ConnectionFactory connectionFactory, DeadLetterCapacity deadLetters) {
        this(connectionFactory, deadLetters, IngressPriority.NONE);
    }

    /**
     * @param deadLetters     whether {@code hub.dlq} can take more; a batch with something to park waits while it cannot
     * @param ingressPriority when the consumers wait for a busy ingress before their next batch
     */
    public JmsBatchComponent(ConnectionFactory connectionFactory, DeadLetterCapacity deadLetters,
                             IngressPriority ingressPriority) {
        this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.ingressPriority = Objects.requireNonNull(ingressPriority, "ingressPriority");
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        JmsBatchEndpoint endpoint = new JmsBatchEndpoint(uri, this, remaining, connectionFactory, deadLetters, ingressPriority);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
