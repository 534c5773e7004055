package io.omnihub.routes.batch;

import io.omnihub.routes.broker.DeadLetterCapacity;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A queue consumed in transacted batches; see {@link JmsBatchComponent}. */
public final class JmsBatchEndpoint extends DefaultEndpoint {

    private final String queue;
    private final ConnectionFactory connectionFactory;
    private final DeadLetterCapacity deadLetters;
    private final IngressPriority ingressPriority;
    /** Whether the consumers wait for a busy ingress before each batch (see {@link IngressPriority}). */
    private boolean yieldToIngress = true;
    /** Parallel consumers, each with its own session; 0 holds the queue (messages wait). */
    private int consumers = 2;
    /** The most messages one exchange carries. */
    private int batchSize = 100;
    /** How long to wait for more messages once a batch has begun. */
    private long lingerMillis = 2;
    /**
     * Pause after a failed batch before consuming again, so a broken database is not hammered; also
     * the first pause before a batch held for an infrastructure failure is tried again.
     */
    private long failurePauseMillis = 1000;
    /** The longest pause between two tries of a batch held for an infrastructure failure (pauses double up to it). */
    private long maxHoldPauseMillis = 10_000;

    JmsBatchEndpoint(String uri, JmsBatchComponent component, String queue, ConnectionFactory connectionFactory,
                     DeadLetterCapacity deadLetters, IngressPriority ingressPriority) {
        super(uri, component);
        this.queue = queue;
        this.connectionFactory = connectionFactory;
        this.deadLetters = deadLetters;
        this.ingressPriority = ingressPriority;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("jms-batch only consumes; send with the StageOutput or the jms component");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        JmsBatchConsumer consumer = new JmsBatchConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getQueue() {
        return queue;
    }

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    DeadLetterCapacity deadLetters() {
        return deadLetters;
    }

    /** When the consumers wait for the ingress: the component's priority, or none when this endpoint opted out. */
    IngressPriority ingressPriority() {
        return yieldToIngress ? ingressPriority : IngressPriority.NONE;
    }

    public boolean isYieldToIngress() {
        return yieldToIngress;
    }

    public void setYieldToIngress(boolean yieldToIngress) {
        this.yieldToIngress = yieldToIngress;
    }

    public int getConsumers() {
        return consumers;
    }

    public void setConsumers(int consumers) {
        this.consumers = consumers;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getLingerMillis() {
        return lingerMillis;
    }

    public void setLingerMillis(long lingerMillis) {
        this.lingerMillis = lingerMillis;
    }

    public long getMaxHoldPauseMillis() {
        return maxHoldPauseMillis;
    }

    public void setMaxHoldPauseMillis(long maxHoldPauseMillis) {
        this.maxHoldPauseMillis = maxHoldPauseMillis;
    }

    public long getFailurePauseMillis() {
        return failurePauseMillis;
    }

    public void setFailurePauseMillis(long failurePauseMillis) {
        this.failurePauseMillis = failurePauseMillis;
    }
}
