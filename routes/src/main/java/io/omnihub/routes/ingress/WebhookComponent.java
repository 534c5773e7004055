package io.omnihub.routes.ingress;

import java.util.Map;
import java.util.Objects;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code webhooks:<name>}: consumes the webhook requests {@link WebhookServlet} has read, one
 * exchange each, with a {@link WebhookCall} as body; the route leaves the answer, a
 * {@link io.omnihub.connector.webhook.WebhookReply}, as the message body. The route may finish
 * asynchronously (after the broker confirmed); the servlet holds no thread meanwhile.
 *
 * <p>This takes the webhook path off Camel's generic servlet binding, which reads every body in full
 * before anything can look at its size.
 */
public final class WebhookComponent extends DefaultComponent {

    private final WebhookReception reception;

    public WebhookComponent(WebhookReception reception) {
        this.reception = Objects.requireNonNull(reception, "reception");
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WebhookEndpoint endpoint = new WebhookEndpoint(uri, this, reception);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
