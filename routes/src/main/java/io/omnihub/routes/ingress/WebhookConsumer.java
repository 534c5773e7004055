package io.omnihub.routes.ingress;

import io.omnihub.connector.webhook.WebhookReply;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/** Takes requests from the {@link WebhookReception} while its route runs. */
final class WebhookConsumer extends DefaultConsumer implements WebhookReception.Receiver {

    private static final WebhookReply FAILED = new WebhookReply(500, "text/plain;charset=UTF-8",
            "the hub could not handle this request".getBytes(StandardCharsets.UTF_8));

    private final WebhookReception reception;

    WebhookConsumer(WebhookEndpoint endpoint, Processor processor, WebhookReception reception) {
        super(endpoint, processor);
        this.reception = reception;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        reception.attach(this);
    }

    @Override
    protected void doStop() throws Exception {
        reception.detach(this);
        super.doStop();
    }

    @Override
    public void receive(WebhookCall call, Consumer<WebhookReply> reply) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(call);
        getAsyncProcessor().process(exchange, doneSync -> {
            WebhookReply answer = exchange.getException() == null ? exchange.getMessage().getBody(WebhookReply.class) : null;
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("webhook " + call.connectorId() + "/" + call.instanceId() + " failed",
                        exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
            reply.accept(answer == null ? FAILED : answer);
        });
    }
}
