package io.omnihub.routes.broker;

import io.omnihub.routes.Queues;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.io.IOCallback;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.paging.PagingManager;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.paging.impl.PageTimedWriter;
import org.apache.activemq.artemis.core.paging.impl.PagingStoreImpl;
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
 * <p>The caller's thread routes the message; the broker writes it on threads of its own.
 * <ul>
 *   <li>A queue that pages (its backlog beyond its memory limit, until its page files are read) is
 *       written to page files by its page writer, which makes its senders wait once a page of writes
 *       (10 MiB by default) is still to go to the disk. This route takes a paging queue's message
 *       only while the writer has at least half of that free, and leaves it to the client, whose
 *       sessions the broker holds back instead, once the disk falls further behind. The caller can
 *       still wait: when many sends pass that look at once, and while a finished page is synced and
 *       closed under the page store's lock, which routing takes too: for an fsync on a healthy disk,
 *       for as long as a stalled disk stalls. (Routing paging queues on one thread of
 *       this route's own instead kept callers from ever waiting, but that thread could not keep up
 *       with a burst: docs/benchmarks.md.)</li>
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
            if (store.getAddressFullMessagePolicy() == AddressFullMessagePolicy.PAGE && store.isPaging()) {
                return !store.isPageFull() && pageWriterHasRoom(store);
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

    /**
     * Whether the page writer of a paging queue has at least half its write credit free (a page's
     * worth of bytes waiting for the disk is all it allows before its senders wait).
     */
    private static boolean pageWriterHasRoom(PagingStore store) {
        PageTimedWriter writer = store instanceof PagingStoreImpl impl ? impl.getPageTimedWriter() : null;
        return writer != null && writer.getAvailablePermits() >= writer.getMaxCredits() / 2;
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
        return durable;
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
