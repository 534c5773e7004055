package io.omnihub.routes;

import io.omnihub.routes.ingress.WebhookIngress;
import org.apache.camel.builder.RouteBuilder;

/**
 * Stage 1, {@code webhook-ingress}: channel → {@code hub.raw}. Its requests come from the webhook
 * servlet under {@code /hooks/*}, which reads each body within its limit and hands it over through
 * the {@code webhooks:} component; stopping the route makes the servlet answer 503.
 */
public final class WebhookIngressRoute extends RouteBuilder {

    public static final String ROUTE_ID = "webhook-ingress";

    private final WebhookIngress ingress;

    public WebhookIngressRoute(WebhookIngress ingress) {
        this.ingress = ingress;
    }

    @Override
    public void configure() {
        from("webhooks:hooks")
                .routeId(ROUTE_ID)
                .process(ingress);
    }
}
