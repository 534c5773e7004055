package io.omnihub.routes.broker;

import io.omnihub.routes.Queues;
import io.omnihub.routes.poll.RecordSink;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists messages with asynchronous durable sends: {@link #append} returns at once and its future
 * completes when the broker confirms the message is in its journal. Many requests in flight share
 * one journal sync, which is what lets the ingress acknowledge webhooks only after their records are
 * durable without paying a blocking round trip each (DESIGN §4).
 *
 * <p>No caller ever waits for the broker: each lane has a thread of its own that talks to the broker
 * (a JMS session is single-threaded, and a send blocks while the client reconnects), fed through a
 * bounded queue. A send fails with {@link BrokerUnavailableException}, instead of waiting, when the
 * broker is known to be unreachable, when the lane already holds as many sends as it may, or when
 * the broker has not confirmed within the persist timeout. A send that timed out before its lane
 * reached it is not sent at all: its caller has been told it failed.
 *
 * <p>With a {@link DirectRoute} into a broker in this JVM, the messages it takes skip the client
 * and its lanes: the caller's thread routes them into the broker, which writes them on threads of
 * its own, and the future completes from the broker's write completion. They have the same persist
 * timeout and a bound of their own, as many sends as all lanes together may hold (a send that timed
 * out keeps its place until the broker answers it); beyond it, the lanes take them. (The one wait
 * left on that path is the disk's while a queue pages; see {@link EmbeddedArtemisRoute}.)
 *
 * <p>The connection factory must have a confirmation window ({@code confirmationWindowSize > 0}) so
 * the broker acknowledges sends asynchronously, and should reconnect by itself.
 */
public final class RawJournal implements RecordSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RawJournal.class);

    private final Connection connection;
    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final DirectRoute direct;
    private final AtomicInteger directInFlight = new AtomicInteger();
    private final int maxDirectInFlight;
    private final Duration persistTimeout;
    private final Clock clock;
    private final ScheduledExecutorService timeouts;
    private final DeadLetterCapacity deadLetters;
    private final boolean duplicateIds;
    private volatile Instant unreachableSince;
    private volatile boolean closed;

    /**
     * @param connectionFactory a factory with a confirmation window
     * @param laneCount         independent sessions, each with its own sending thread
     * @param maxPendingPerLane sends a lane holds before it refuses more
     * @param persistTimeout    how long a send may wait for the broker's confirmation
     * @param clock             the hub's clock, for "unreachable since"
     * @param deadLetters       whether {@code hub.dlq} can take more; a dead letter it cannot take is refused at once
     * @param duplicateIds      whether each send carries a duplicate id ({@code _AMQ_DUPL_ID}), so that a
     *                          send the client repeats after failing over to a backup is dropped if the
     *                          broker had it. Only a broker that can fail over needs it, and it is not
     *                          free: the broker then stores each message in a transaction of its own,
     *                          and while the queue pages, keeps that transaction on its heap until the
     *                          message is consumed.
     */
    public RawJournal(ConnectionFactory connectionFactory, int laneCount, int maxPendingPerLane, Duration persistTimeout,
                      Clock clock, DeadLetterCapacity deadLetters, boolean duplicateIds) {
        this(connectionFactory, laneCount, maxPendingPerLane, persistTimeout, clock, deadLetters, duplicateIds, null);
    }

    /**
     * As {@link #RawJournal(ConnectionFactory, int, int, Duration, Clock, DeadLetterCapacity, boolean)},
     * sending what {@code direct} takes through it; {@code null} sends everything through the client.
     */
    public RawJournal(ConnectionFactory connectionFactory, int laneCount, int maxPendingPerLane, Duration persistTimeout,
                      Clock clock, DeadLetterCapacity deadLetters, boolean duplicateIds, DirectRoute direct) {
        this.direct = direct;
        this.maxDirectInFlight = Math.max(1, laneCount) * Math.max(1, maxPendingPerLane);
        this.persistTimeout = persistTimeout;
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.duplicateIds = duplicateIds;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "raw-journal-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.timeouts = timer;
        try {
            connection = connectionFactory.createConnection();
            if (connection instanceof ActiveMQConnection artemis) {
                artemis.setFailoverListener(this::failover);
            }
            for (int i = 0; i < Math.max(1, laneCount); i++) {
                lanes.add(new Lane(i, connection.createSession(false, Session.AUTO_ACKNOWLEDGE), Math.max(1, maxPendingPerLane)));
            }
        } catch (JMSException e) {
            timer.shutdownNow();
            throw new IllegalStateException("could not connect to the broker: " + e.getMessage(), e);
        }
        lanes.forEach(Lane::start);
    }

    /**
     * Sends {@code message}; the future completes once it is durable, or fails with
     * {@link BrokerUnavailableException} (broker unreachable, too many sends waiting, not confirmed
     * within the persist timeout, a dead letter while the dead-letter queue is full) or the broker's
     * own error. Does not wait for the broker, but for the disk while a queue pages (see
     * {@link EmbeddedArtemisRoute}).
     */
    public CompletableFuture<Void> append(BrokerMessage message) {
        if (closed) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("the hub is shutting down"));
        }
        Instant since = unreachableSince;
        if (since != null) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("the broker is unreachable since " + since));
        }
        if (message.queue().equals(Queues.DLQ) && deadLetters.full()) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("the dead-letter queue is full"));
        }
        inFlight.incrementAndGet();
        CompletableFuture<Void> sent;
        try {
            sent = takeDirectPlace(message)
                    ? sendDirect(message)
                    : lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size())).offer(message);
        } catch (RuntimeException e) { // the timer refusing a send that raced with close()
            sent = CompletableFuture.failedFuture(closed ? new BrokerUnavailableException("the hub is shutting down", e) : e);
        }
        sent.whenComplete((ignored, failure) -> inFlight.decrementAndGet());
        return sent;
    }

    /** Whether {@code message} goes through the direct route, which then holds a place for it. */
    private boolean takeDirectPlace(BrokerMessage message) {
        if (direct == null || !direct.takes(message)) {
            return false;
        }
        if (directInFlight.incrementAndGet() <= maxDirectInFlight) {
            return true;
        }
        directInFlight.decrementAndGet();
        return false; // all places held: the lanes, with a bound of their own, take it
    }

    private CompletableFuture<Void> sendDirect(BrokerMessage message) {
        Pending send;
        try {
            send = timed(message);
        } catch (RuntimeException e) {
            directInFlight.decrementAndGet();
            throw e;
        }
        CompletableFuture<Void> routed;
        try {
            routed = direct.send(message);
        } catch (RuntimeException e) {
            routed = CompletableFuture.failedFuture(e);
        }
        // A send that timed out keeps its place until the broker answers: the broker still holds it.
        routed.whenComplete((ignored, failure) -> {
            directInFlight.decrementAndGet();
            if (failure == null) {
                send.succeed();
            } else {
                send.fail(failure);
            }
        });
        return send.done;
    }

    /** A send that fails by itself once the broker has not confirmed it within the persist timeout. */
    private Pending timed(BrokerMessage message) {
        Pending send = new Pending(message);
        send.timeout = timeouts.schedule(() -> send.fail(new BrokerUnavailableException(
                "the broker did not confirm within " + persistTimeout.toMillis() + " ms")),
                persistTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return send;
    }

    /** Sends all {@code messages}; the future completes once every one is durable. */
    @Override
    public CompletableFuture<Void> appendAll(List<BrokerMessage> messages) {
        if (messages.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (messages.size() == 1) {
            return append(messages.get(0));
        }
        return CompletableFuture.allOf(messages.stream().map(this::append).toArray(CompletableFuture[]::new));
    }

    /** Whether the broker is reachable, as far as the connection knows. */
    public boolean reachable() {
        return unreachableSince == null && !closed;
    }

    /** Since when the broker is unreachable, or null while it is reachable. */
    public Instant unreachableSince() {
        return unreachableSince;
    }

    /**
     * Sends accepted and not yet confirmed durable nor failed: what the ingress has in hand now. The
     * stages behind wait while it is high (see {@code IngressPriority}).
     */
    public int inFlight() {
        return inFlight.get();
    }

    /** Sends waiting for their lane, over all lanes. */
    public int pending() {
        return lanes.stream().mapToInt(lane -> lane.pending.size()).sum();
    }

    private void failover(FailoverEventType event) {
        switch (event) {
            case FAILURE_DETECTED, FAILOVER_FAILED -> {
                if (unreachableSince == null) {
                    unreachableSince = clock.instant();
                    LOG.warn("The broker connection failed ({}); webhooks are answered 503 until it is back", event);
                }
            }
            case FAILOVER_COMPLETED -> {
                if (unreachableSince != null) {
                    LOG.info("The broker is reachable again (unreachable since {})", unreachableSince);
                }
                unreachableSince = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            // Unblocks a lane waiting inside a send for a reconnection that will not come.
            connection.close();
        } catch (JMSException e) {
            LOG.debug("closing the journal's broker connection", e);
        }
        lanes.forEach(Lane::stop);
        timeouts.shutdownNow();
    }

    /** One session and the thread that alone uses it. */
    private final class Lane implements Runnable {
        private final Session session;
        private final MessageProducer producer;
        private final BlockingQueue<Pending> pending;
        private final Map<String, Queue> queues = new HashMap<>();
        private final Thread thread;

        Lane(int index, Session session, int capacity) throws JMSException {
            this.session = session;
            // Anonymous: one producer for every queue the lane sends to.
            this.producer = session.createProducer(null);
            this.producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            this.pending = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this, "raw-journal-" + index);
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            thread.interrupt();
            Pending left;
            while ((left = pending.poll()) != null) {
                left.fail(new BrokerUnavailableException("the hub is shutting down"));
            }
        }

        CompletableFuture<Void> offer(BrokerMessage message) {
            Pending send = timed(message);
            if (!pending.offer(send)) {
                send.fail(new BrokerUnavailableException("more sends are waiting for the broker than the hub lets pile up"));
            }
            return send.done;
        }

        @Override
        public void run() {
            while (!closed) {
                Pending send;
                try {
                    send = pending.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (send.done.isDone()) {
                    continue; // timed out while waiting: its caller already heard it failed
                }
                try {
                    Message jms = send.message.toJms(session);
                    if (duplicateIds) {
                        // Resent after a failover when the old primary never confirmed it: dropped if it had it.
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        jms.setStringProperty(Headers.DUPLICATE_ID, new UUID(random.nextLong(), random.nextLong()).toString());
                    }
                    Queue queue = queues.get(send.message.queue());
                    if (queue == null) {
                        queue = session.createQueue(send.message.queue());
                        queues.put(send.message.queue(), queue);
                    }
                    producer.send(queue, jms, new CompletionListener() {
                        @Override
                        public void onCompletion(Message sent) {
                            send.succeed();
                        }

                        @Override
                        public void onException(Message failed, Exception exception) {
                            send.fail(exception);
                        }
                    });
                } catch (JMSException | RuntimeException e) {
                    send.fail(closed ? new BrokerUnavailableException("the hub is shutting down", e) : e);
                }
            }
        }
    }

    /** A message waiting to be sent, and what its sender waits for. */
    private static final class Pending {
        final BrokerMessage message;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Pending(BrokerMessage message) {
            this.message = message;
        }

        void succeed() {
            done.complete(null);
            cancelTimeout();
        }

        void fail(Throwable failure) {
            done.completeExceptionally(failure);
            cancelTimeout();
        }

        private void cancelTimeout() {
            ScheduledFuture<?> scheduled = timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
