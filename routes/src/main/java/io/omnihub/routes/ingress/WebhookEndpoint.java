package io.omnihub.routes.ingress;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** The webhook requests of one hub; see {@link WebhookComponent}. */
public final class WebhookEndpoint extends DefaultEndpoint {

    private final WebhookReception reception;

    WebhookEndpoint(String uri, WebhookComponent component, WebhookReception reception) {
        super(uri, component);
        this.reception = reception;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("webhooks only consumes: requests arrive through the webhook servlet");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        WebhookConsumer consumer = new WebhookConsumer(this, processor, reception);
        configureConsumer(consumer);
        return consumer;
    }
}
