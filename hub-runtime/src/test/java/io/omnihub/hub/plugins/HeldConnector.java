package io.omnihub.hub.plugins;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.testsupport.QuietInstance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test connector whose webhook and poll calls wait until the test {@link #release()}s them, and
 * whose instance, like a real one, releases a client on {@code close()}: each call records in
 * {@link #log} whether that client was still open when it ended.
 */
final class HeldConnector implements ChannelConnector {

    final List<String> log = new CopyOnWriteArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor("held", "Held", "1.0.0", "test", Set.of(),
                "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\"}");
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new Instance();
    }

    /** Waits until a call has reached the connector. */
    void awaitCallStarted() throws InterruptedException {
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no call reached the connector");
        }
    }

    /** Lets the waiting calls end. */
    void release() {
        release.countDown();
    }

    private final class Instance extends QuietInstance implements WebhookHandler, Poller {
        private volatile boolean clientOpen = true;

        @Override
        public Optional<WebhookHandler> webhook() {
            return Optional.of(this);
        }

        @Override
        public Optional<Poller> poller() {
            return Optional.of(this);
        }

        @Override
        public WebhookResult handle(io.omnihub.connector.webhook.WebhookRequest request) {
            String name = "webhook " + new String(request.body(), StandardCharsets.UTF_8);
            held(name);
            return WebhookResult.replyOnly(WebhookReply.text("success"));
        }

        @Override
        public PollResult poll(Optional<String> checkpoint) {
            held("poll");
            return new PollResult(List.of(), "next", false);
        }

        private void held(String name) {
            log.add(name + " started");
            started.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError(name + " was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.add(name + " ended, client " + (clientOpen ? "open" : "closed"));
        }

        @Override
        public void close() {
            clientOpen = false;
            log.add("closed");
        }
    }
}
