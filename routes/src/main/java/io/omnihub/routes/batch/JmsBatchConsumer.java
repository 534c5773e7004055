package io.omnihub.routes.batch;

import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerUnavailableException;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.stage.InfrastructureFaults;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link JmsBatchEndpoint#getConsumers()} loops, each receiving and committing batches. */
final class JmsBatchConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(JmsBatchConsumer.class);

    private final JmsBatchEndpoint endpoint;
    private volatile boolean running;
    private ExecutorService workers;
    private final List<Connection> connections = new ArrayList<>();

    JmsBatchConsumer(JmsBatchEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        if (endpoint.getConsumers() < 1) {
            // A stage configured with no consumers holds its queue: messages wait durably.
            LOG.warn("{} has no consumers configured; its messages wait on the queue", endpoint.getQueue());
            return;
        }
        workers = endpoint.getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "jms-batch-" + endpoint.getQueue(), endpoint.getConsumers());
        for (int i = 0; i < endpoint.getConsumers(); i++) {
            workers.submit(this::consumeUntilStopped);
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        synchronized (connections) {
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (JMSException e) {
                    LOG.debug("closing consumer connection", e);
                }
            }
            connections.clear();
        }
        if (workers != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(workers, 10_000);
        }
        super.doStop();
    }

    private void consumeUntilStopped() {
        while (running) {
            Connection connection = null;
            try {
                connection = endpoint.connectionFactory().createConnection();
                synchronized (connections) {
                    connections.add(connection);
                }
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(endpoint.getQueue()));
                connection.start();
                SessionOutput output = new SessionOutput(session);
                while (running) {
                    consumeOneBatch(session, consumer, output);
                }
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    LOG.warn("consumer of {} lost its broker session, reconnecting: {}", endpoint.getQueue(), e.toString());
                    pause(endpoint.getFailurePauseMillis());
                }
            } finally {
                if (connection != null) {
                    synchronized (connections) {
                        connections.remove(connection);
                    }
                    try {
                        connection.close();
                    } catch (JMSException ignored) {
                        // already gone
                    }
                }
            }
        }
    }

    private void consumeOneBatch(Session session, MessageConsumer consumer, SessionOutput output) throws JMSException {
        yieldToIngress();
        Message first = consumer.receive(500);
        if (first == null) {
            return;
        }
        List<BrokerMessage> batch = new ArrayList<>(endpoint.getBatchSize());
        batch.add(BrokerMessage.fromJms(endpoint.getQueue(), first));
        while (batch.size() < endpoint.getBatchSize()) {
            Message next = consumer.receive(endpoint.getLingerMillis());
            if (next == null) {
                break;
            }
            batch.add(BrokerMessage.fromJms(endpoint.getQueue(), next));
        }
        long hold = endpoint.getFailurePauseMillis();
        Instant heldSince = null;
        while (true) {
            BufferedOutput produced = new BufferedOutput();
            Exception failure = process(batch, produced);
            if (failure == null && produced.parks() && endpoint.deadLetters().full()) {
                failure = new BrokerUnavailableException("the dead-letter queue is full; an operator must replay or discard dead letters");
            }
            if (failure == null) {
                produced.sendTo(output);
                session.commit();
                if (heldSince != null) {
                    LOG.info("{}: the infrastructure is back; the batch held since {} went through", endpoint.getQueue(), heldSince);
                }
                return;
            }
            if (!InfrastructureFaults.causedBy(failure) || !running) {
                // Nothing of the batch is acknowledged and nothing it produced is sent: the broker
                // redelivers after its redelivery delay, and parks the messages after max attempts.
                // (A node stopping while it holds a batch gives it back the same way.)
                session.rollback();
                if (running) {
                    getExceptionHandler().handleException("batch of " + batch.size() + " from " + endpoint.getQueue()
                            + " rolled back", failure);
                    pause(endpoint.getFailurePauseMillis());
                }
                return;
            }
            // The database or the broker failed, not the messages: hold the batch, unacknowledged and
            // with nothing sent, and try it again once the dependency may be back. No delivery
            // attempt is used, so however long the outage lasts nothing is parked because of it.
            if (heldSince == null) {
                heldSince = Instant.now();
                LOG.warn("{}: infrastructure unavailable, holding a batch of {} until it is back: {}",
                        endpoint.getQueue(), batch.size(), failure.toString());
            } else {
                LOG.debug("{}: still holding a batch of {}: {}", endpoint.getQueue(), batch.size(), failure.toString());
            }
            pause(hold);
            hold = Math.min(endpoint.getMaxHoldPauseMillis(), hold * 2);
        }
    }

    /**
     * Waits while the ingress is busy, at most the priority's longest pause, before the next batch.
     * Nothing is received yet, so the messages wait on the broker, durable and in order.
     */
    private void yieldToIngress() {
        IngressPriority priority = endpoint.ingressPriority();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(priority.maxPauseMillis());
        while (running && priority.ingressBusy() && System.nanoTime() - deadline < 0) {
            pause(IngressPriority.STEP_MILLIS);
        }
    }

    /** Runs the route on {@code batch}; returns its failure, or null. */
    private Exception process(List<BrokerMessage> batch, StageOutput output) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(batch);
            exchange.setProperty(JmsBatchComponent.OUTPUT, output);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            return exchange.getException();
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Keeps what a batch produces until the batch succeeded, so a batch tried again after an
     * infrastructure failure sends each message once.
     */
    private static final class BufferedOutput implements StageOutput {
        private final List<BrokerMessage> messages = new ArrayList<>();

        @Override
        public void send(BrokerMessage message) {
            messages.add(message);
        }

        void sendTo(StageOutput target) {
            messages.forEach(target::send);
        }

        boolean parks() {
            return messages.stream().anyMatch(message -> Queues.DLQ.equals(message.queue()));
        }
    }

    /** Sends on the batch's transacted session. */
    private static final class SessionOutput implements StageOutput {
        private final Session session;
        private final Map<String, MessageProducer> producers = new HashMap<>();

        SessionOutput(Session session) {
            this.session = session;
        }

        @Override
        public void send(BrokerMessage message) {
            try {
                MessageProducer producer = producers.get(message.queue());
                if (producer == null) {
                    producer = session.createProducer(session.createQueue(message.queue()));
                    producers.put(message.queue(), producer);
                }
                Message jms = message.toJms(session);
                Object scheduled = message.properties().get(Headers.SCHEDULED_DELIVERY);
                if (scheduled instanceof Number at) {
                    jms.setLongProperty(Headers.SCHEDULED_DELIVERY, at.longValue());
                }
                producer.send(jms, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
            } catch (JMSException e) {
                throw new IllegalStateException("could not send to " + message.queue() + ": " + e.getMessage(), e);
            }
        }
    }
}
