package io.omnihub.routes.broker;

import io.omnihub.routes.Queues;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.io.IOCallback;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.paging.PagingManager;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.persistence.OperationContext;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.persistence.impl.journal.OperationContextImpl;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.reader.MessageUtil;
import org.apache.activemq.artemis.utils.UUIDGenerator;

/**
 * Routes messages through the post office of the Artemis server embedded in this JVM, as the
 * server's own session does for a client's durable send, and completes each once the storage
 * manager has synced it. A message arrives as a JMS {@code BytesMessage} sent through the client
 * would: body, properties (set as the JMS client sets them, {@code JMSXGroupID} as the broker's
 * group id), persistent, priority 4, a message id and a time stamp.
 *
 * <p>The caller's thread routes the message (a paging queue's excepted, below); the broker writes it
 * on threads of its own.
 * <ul>
 *   <li>A queue that pages (its backlog beyond its memory limit, until its page files are read) is
 *       written to page files, and routing to it can wait for the disk: for the page writer's flow
 *       control once a page of writes (10 MiB) is behind, and for the page store's lock while a
 *       finished page is synced and closed. So a paging queue's messages are routed by this route's
 *       own thread, one after the other, and the caller never waits; should the disk stall, the
 *       journal's persist timeout fails the sends as it would the client's. Once that thread has
 *       messages in hand, every message waits its turn behind them, so one caller's messages keep
 *       their order when the queue stops paging.</li>
 *   <li>It takes no message for a queue within {@link #PAGING_HEADROOM_BYTES} of starting to page,
 *       by its own limit or the broker's global one: the client crosses the limit and opens the
 *       queue's first page file. (Should concurrent sends still cross it, the one that does opens
 *       that file on its thread, once.)</li>
 *   <li>Neither does it take dead letters, so that {@code hub.dlq}'s page limit refuses them as
 *       configured, nor a message whose encoding may pass {@link #MAX_MESSAGE_BYTES}: the client
 *       streams a large one in chunks, while a journal record may not exceed the journal's write
 *       buffer (490 KiB by default).</li>
 * </ul>
 *
 * <p>What the broker's session checks and this route does not: security (the embedded broker has
 * none), creating a missing address (the pipeline's queues are declared; a missing one fails the
 * send), broker plugins and an address blocked through management (the hub installs neither).
 */
public final class EmbeddedArtemisRoute implements DirectRoute {

    /** A message's body and properties, as encoded, this route takes at most. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /**
     * How close to its memory limit, or the broker to its global one, a queue may be for this route
     * (a quarter of a smaller limit): where it starts to page.
     */
    public static final long PAGING_HEADROOM_BYTES = 1024 * 1024;

    private final ActiveMQServer server;
    private final Map<String, SimpleString> addresses = new ConcurrentHashMap<>();
    /** Routes the messages of paging queues; its thread ends after a quiet minute. */
    private final ThreadPoolExecutor pager = new ThreadPoolExecutor(0, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
            runnable -> {
                Thread thread = new Thread(runnable, "broker-pager");
                thread.setDaemon(true);
                return thread;
            });
    private final AtomicInteger withThePager = new AtomicInteger();

    public EmbeddedArtemisRoute(ActiveMQServer server) {
        this.server = server;
    }

    @Override
    public boolean takes(BrokerMessage message) {
        if (Queues.DLQ.equals(message.queue()) || encodedSizeAtMost(message) > MAX_MESSAGE_BYTES) {
            return false;
        }
        PagingManager paging = server.getPagingManager();
        if (paging == null) {
            return true;
        }
        try {
            PagingStore store = paging.getPageStore(address(message.queue()));
            if (store == null) {
                return true;
            }
            if (pages(store)) {
                return !store.isPageFull();
            }
            if (store.isFull()) {
                return false;
            }
            long ownLimit = server.getAddressSettingsRepository().getMatch(message.queue()).getMaxSizeBytes();
            boolean belowOwn = ownLimit <= 0 || store.getAddressSize() + headroom(ownLimit) < ownLimit;
            boolean belowGlobal = !paging.isUsingGlobalSize()
                    || paging.getGlobalSize() + headroom(paging.getMaxSize()) < paging.getMaxSize();
            return belowOwn && belowGlobal;
        } catch (Exception e) {
            return false; // the client's send will report what is wrong
        }
    }

    /** Whether {@code store} writes what it is sent to page files now (FAIL and DROP addresses never page). */
    private static boolean pages(PagingStore store) {
        return store.getAddressFullMessagePolicy() == AddressFullMessagePolicy.PAGE && store.isPaging();
    }

    /** {@link #PAGING_HEADROOM_BYTES}, or a quarter of a smaller limit. */
    private static long headroom(long limit) {
        return Math.min(PAGING_HEADROOM_BYTES, limit / 4);
    }

    @Override
    public CompletableFuture<Void> send(BrokerMessage message) {
        if (!server.isActive()) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("the embedded broker is not running"));
        }
        PagingManager paging = server.getPagingManager();
        if (paging != null && paging.isDiskFull()) {
            // A client's producers are blocked by the broker then; this route must refuse by itself.
            return CompletableFuture.failedFuture(new BrokerUnavailableException("the embedded broker's disk is full"));
        }
        CoreMessage core;
        try {
            core = coreMessage(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e); // a property value of a type no message can hold
        }
        CompletableFuture<Void> durable = new CompletableFuture<>();
        if (withThePager.get() > 0 || pages(message.queue())) {
            withThePager.incrementAndGet();
            try {
                pager.execute(() -> {
                    try {
                        route(message, core, durable);
                    } finally {
                        withThePager.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                withThePager.decrementAndGet();
                durable.completeExceptionally(new BrokerUnavailableException("the embedded broker did not take the message: " + e, e));
            }
        } else {
            route(message, core, durable);
        }
        return durable;
    }

    /** Whether {@code queue}'s address pages now. */
    private boolean pages(String queue) {
        PagingManager paging = server.getPagingManager();
        try {
            PagingStore store = paging == null ? null : paging.getPageStore(address(queue));
            return store != null && pages(store);
        } catch (Exception e) {
            return false; // routing it will report what is wrong
        }
    }

    /** Routes {@code core} into the post office and completes {@code durable} once the broker has it stored. */
    private void route(BrokerMessage message, CoreMessage core, CompletableFuture<Void> durable) {
        OperationContext previous = OperationContextImpl.getContext();
        try {
            StorageManager storage = server.getStorageManager();
            // A context of its own per send: it tracks this send's writes alone, so an earlier send's
            // failed or unfinished write cannot hold or fail it. Its completion runs on a broker
            // thread, as the broker's sessions' do, never on the writer's.
            OperationContext context = server.newOperationContext();
            storage.setContext(context);
            core.setMessageID(storage.generateID());
            RoutingStatus status = server.getPostOffice().route(core, false);
            if (status != RoutingStatus.OK) {
                durable.completeExceptionally(new IllegalStateException(
                        "the embedded broker has no queue " + message.queue() + " (" + status + ")"));
            } else {
                context.executeOnCompletion(new IOCallback() {
                    @Override
                    public void done() {
                        durable.complete(null);
                    }

                    @Override
                    public void onError(int errorCode, String errorMessage) {
                        durable.completeExceptionally(new BrokerUnavailableException(
                                "the embedded broker could not store the message: " + errorMessage + " (" + errorCode + ")"));
                    }
                });
            }
        } catch (Exception e) {
            // Also the broker stopping between the check above and the route (its storage gone).
            durable.completeExceptionally(new BrokerUnavailableException("the embedded broker did not take the message: " + e, e));
        } finally {
            OperationContextImpl.setContext(previous);
        }
    }

    private SimpleString address(String queue) {
        return addresses.computeIfAbsent(queue, SimpleString::of);
    }

    /** At most what the body and properties take encoded: property names and strings are two bytes a character. */
    private static long encodedSizeAtMost(BrokerMessage message) {
        long size = message.body().length;
        for (Map.Entry<String, Object> property : message.properties().entrySet()) {
            size += 2L * property.getKey().length() + 2L * String.valueOf(property.getValue()).length() + 16;
        }
        return size;
    }

    private CoreMessage coreMessage(BrokerMessage message) {
        CoreMessage core = new CoreMessage(0, message.body().length + 256);
        core.setType(Message.BYTES_TYPE);
        core.getBodyBuffer().writeBytes(message.body());
        core.setAddress(address(message.queue()));
        core.setRoutingType(RoutingType.ANYCAST);
        core.setDurable(true);
        core.setPriority((byte) 4);
        core.setTimestamp(System.currentTimeMillis());
        core.setUserID(UUIDGenerator.getInstance().generateUUID());
        // As ActiveMQMessage.setObjectProperty does: JMSXGroupID becomes the broker's group id.
        message.properties().forEach((name, value) -> MessageUtil.setObjectProperty(core, name, value));
        return core;
    }
}
