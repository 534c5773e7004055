package io.omnihub.hub.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The embedded Artemis, started on a thread of its own (journal files opened or created, queues
 * declared) while the rest of the hub's beans are created. Nothing connects to it before they all
 * exist, and then the hub waits for the broker to be active ({@link #afterSingletonsInstantiated})
 * before anything starts: routes, consumers, the web server. Whoever asks for the
 * {@linkplain #getActiveMQServer server} earlier waits for it too.
 */
public class BackgroundStartedBroker extends EmbeddedActiveMQ implements SmartInitializingSingleton {

    private final CompletableFuture<Void> started = new CompletableFuture<>();

    /** Begins starting the broker; returns at once. */
    public void startInBackground() {
        Thread thread = new Thread(() -> {
            try {
                super.start();
                started.complete(null);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "embedded-artemis-start");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits until the broker is active.
     *
     * @throws IllegalStateException when it failed to start
     */
    public void awaitStarted() {
        try {
            started.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the embedded Artemis broker failed to start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Every bean exists: wait for the broker before the application starts its routes and web server. */
    @Override
    public void afterSingletonsInstantiated() {
        awaitStarted();
    }

    /** Starts the broker and waits for it, as {@link EmbeddedActiveMQ#start} does. */
    @Override
    public EmbeddedActiveMQ start() {
        startInBackground();
        awaitStarted();
        return this;
    }

    /** The running server, once started. */
    @Override
    public ActiveMQServer getActiveMQServer() {
        awaitStarted();
        return super.getActiveMQServer();
    }

    /** Stops the broker once its start is over; one that failed to start has nothing to stop. */
    @Override
    public EmbeddedActiveMQ stop() throws Exception {
        try {
            started.join();
        } catch (CompletionException neverStarted) {
            return this;
        }
        return super.stop();
    }
}
