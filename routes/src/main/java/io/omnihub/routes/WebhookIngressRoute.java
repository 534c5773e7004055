package io.omnihub.routes;

import io.omnihub.routes.ingress.WebhookIngress;
import org.apache.camel.builder.RouteBuilder;

/**
 * Stage 1, {@code webhook-ingress}: channel → {@code hub.raw}. Served under {@code /hooks/*} by the
 * Camel servlet, asynchronously so a request waits for the journal without holding a thread.
 */
public final class WebhookIngressRoute extends RouteBuilder {

    public static final String ROUTE_ID = "webhook-ingress";

    private final WebhookIngress ingress;

    public WebhookIngressRoute(WebhookIngress ingress) {
        this.ingress = ingress;
    }

    @Override
    public void configure() {
        from("servlet:/?matchOnUriPrefix=true&async=true&httpMethodRestrict=GET,POST&disableStreamCache=false")
                .routeId(ROUTE_ID)
                .process(ingress);
    }
}
