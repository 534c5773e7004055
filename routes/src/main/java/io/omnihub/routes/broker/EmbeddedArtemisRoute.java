package io.omnihub.routes.broker;

import io.omnihub.routes.Queues;
import java.util.concurrent.CompletableFuture;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.io.IOCallback;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.paging.PagingManager;
import org.apache.activemq.artemis.core.persistence.OperationContext;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.utils.UUIDGenerator;

/**
 * Routes messages through the post office of the Artemis server embedded in this JVM, as the
 * server's own session does for a client's send, and completes each once the storage manager has
 * synced it. A message arrives as a JMS {@code BytesMessage} sent through the client would: body,
 * properties, persistent, priority 4, a message id and a time stamp, {@code JMSXGroupID} as the
 * broker's group id.
 *
 * <p>It takes bodies up to {@link #MAX_BODY_BYTES}, and no dead letters. A larger body is left to the
 * client, which streams it as a large message (a journal record may not exceed the journal's write
 * buffer, 490 KiB by default). Dead letters go through the client so that {@code hub.dlq}'s page limit
 * refuses them exactly as configured.
 */
public final class EmbeddedArtemisRoute implements DirectRoute {

    /** Well under the client's large-message threshold (100 KiB) and the journal's write buffer. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final ActiveMQServer server;
    /**
     * One operation context per sending thread, as the server keeps one per session: a context
     * tracks the writes its thread lined up and runs a completion once they are all synced. Its
     * completions run on the thread that finished the write; they only complete a future.
     */
    private final ThreadLocal<OperationContext> contexts;

    public EmbeddedArtemisRoute(ActiveMQServer server) {
        this.server = server;
        this.contexts = ThreadLocal.withInitial(() -> server.getStorageManager().newContext(Runnable::run));
    }

    @Override
    public boolean takes(BrokerMessage message) {
        return message.body().length <= MAX_BODY_BYTES && !Queues.DLQ.equals(message.queue());
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
        CompletableFuture<Void> durable = new CompletableFuture<>();
        StorageManager storage = server.getStorageManager();
        storage.setContext(contexts.get());
        try {
            RoutingStatus status = server.getPostOffice().route(coreMessage(storage.generateID(), message), false);
            if (status != RoutingStatus.OK) {
                durable.completeExceptionally(new IllegalStateException(
                        "the embedded broker has no queue " + message.queue() + " (" + status + ")"));
            } else {
                storage.afterCompleteOperations(new IOCallback() {
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
            durable.completeExceptionally(new BrokerUnavailableException("the embedded broker did not take the message: " + e.getMessage(), e));
        } finally {
            storage.clearContext();
        }
        return durable;
    }

    private static CoreMessage coreMessage(long id, BrokerMessage message) {
        CoreMessage core = new CoreMessage(id, message.body().length + 256);
        core.setType(Message.BYTES_TYPE);
        core.getBodyBuffer().writeBytes(message.body());
        core.setAddress(message.queue());
        core.setRoutingType(RoutingType.ANYCAST);
        core.setDurable(true);
        core.setPriority((byte) 4);
        core.setTimestamp(System.currentTimeMillis());
        core.setUserID(UUIDGenerator.getInstance().generateUUID());
        message.properties().forEach((name, value) -> {
            if (Headers.GROUP_ID.equals(name)) {
                core.setGroupID(value.toString()); // where the JMS client puts JMSXGroupID
            } else {
                core.putObjectProperty(name, value);
            }
        });
        return core;
    }
}
