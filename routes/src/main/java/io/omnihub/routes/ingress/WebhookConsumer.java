package io.omnihub.routes.ingress;

import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.routes.CallGate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes requests from the {@link WebhookReception} while its route runs.
 *
 * <p>Stopping waits for the calls already taken: a request can be handed over in the instant the
 * route stops, before Camel counts its exchange as in flight, and its connector's handler must not
 * run on after the route (and then the plugin) has stopped. A call that arrives once stopping has
 * begun is answered 503, which channels retry.
 */
final class WebhookConsumer extends DefaultConsumer implements WebhookReception.Receiver {

    /**
     * How long stopping waits for the calls taken. A call ends at the latest when the broker confirms
     * or refuses its records, which has a deadline of seconds; this stays under Camel's shutdown
     * timeout.
     */
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(WebhookConsumer.class);
    private static final WebhookReply FAILED = new WebhookReply(500, "text/plain;charset=UTF-8",
            "the hub could not handle this request".getBytes(StandardCharsets.UTF_8));
    private static final WebhookReply STOPPING_REPLY = new WebhookReply(503, "text/plain;charset=UTF-8",
            "the hub is stopping; retry later".getBytes(StandardCharsets.UTF_8));

    private final WebhookReception reception;
    /** The calls taken and not yet answered. */
    private final CallGate calls = new CallGate();

    WebhookConsumer(WebhookEndpoint endpoint, Processor processor, WebhookReception reception) {
        super(endpoint, processor);
        this.reception = reception;
    }

    @Override
    protected void doStart() throws Exception {
        calls.reopen();
        super.doStart();
        reception.attach(this);
    }

    @Override
    protected void doStop() throws Exception {
        reception.detach(this);
        awaitCallsTaken();
        super.doStop();
    }

    @Override
    public void receive(WebhookCall call, Consumer<WebhookReply> reply) {
        if (!calls.enter()) {
            reply.accept(STOPPING_REPLY);
            return;
        }
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(call);
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                WebhookReply answer = exchange.getException() == null ? exchange.getMessage().getBody(WebhookReply.class) : null;
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("webhook " + call.connectorId() + "/" + call.instanceId() + " failed",
                            exchange, exchange.getException());
                }
                releaseExchange(exchange, false);
                reply.accept(answer == null ? FAILED : answer);
            } finally {
                calls.leave();
            }
        });
    }

    /** Refuses new calls, then waits (bounded) until those taken have been answered. */
    private void awaitCallsTaken() throws InterruptedException {
        int left = calls.close(DRAIN_BOUND);
        if (left > 0) {
            LOG.warn("webhooks: {} call(s) still unanswered after {} ms; stopping without them", left, DRAIN_BOUND.toMillis());
        }
    }
}
