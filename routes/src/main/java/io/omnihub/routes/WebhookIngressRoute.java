package io.omnihub.routes;

import io.omnihub.routes.ingress.WebhookIngress;
import org.apache.camel.builder.RouteBuilder;

/**
 * Stage 1, {@code webhook-ingress}: channel → {@code hub.raw}. Served under {@code /hooks/*} by the
 * Camel servlet.
 */
public final class WebhookIngressRoute extends RouteBuilder {

    public static final String ROUTE_ID = "webhook-ingress";

    private final WebhookIngress ingress;
    private final String servletName;

    /**
     * @param servletName the name the Camel servlet is registered under; unique per application in
     *                    one JVM, because Camel's servlet registry is shared by the whole JVM
     */
    public WebhookIngressRoute(WebhookIngress ingress, String servletName) {
        this.ingress = ingress;
        this.servletName = servletName;
    }

    @Override
    public void configure() {
        from("servlet:/?servletName=" + servletName + "&matchOnUriPrefix=true&async=true&httpMethodRestrict=GET,POST"
                        // The ingress reads method, query and headers from the servlet request itself.
                        + "&mapHttpMessageHeaders=false&mapHttpMessageFormUrlEncodedBody=false")
                .routeId(ROUTE_ID)
                .process(ingress);
    }
}
