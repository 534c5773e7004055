package io.omnihub.routes.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Puts messages on the queues of a broker that runs in this JVM without a client session: no
 * packets to encode, no hand-over to a connection's thread and back. {@link RawJournal} sends the
 * messages such a route {@linkplain #takes takes} this way and the rest through its client sessions.
 */
public interface DirectRoute {

    /**
     * Whether {@code message} can go this way now, handed to the broker's writers without waiting for
     * them, but for the disk where an implementation says so ({@link EmbeddedArtemisRoute}: a paging
     * queue); the journal sends any other through a client session.
     */
    boolean takes(BrokerMessage message);

    /**
     * Routes {@code message} to its queue. The future completes once the broker has it durably (its
     * journal or its page file written and synced), or fails, with {@link BrokerUnavailableException}
     * when the broker cannot take messages now. Does not wait for the write.
     */
    CompletableFuture<Void> send(BrokerMessage message);
}
