package io.omnihub.hub.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves {@code /hooks/*} with Camel's servlet, which hands each request to the
 * {@code webhook-ingress} route.
 *
 * <p>Camel's servlet registry is shared by the whole JVM, so every application context gets a
 * servlet name of its own; several hubs in one JVM (as in the tests) then never take each other's
 * requests.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookServletConfiguration {

    /** The path webhooks are served under: {@code /hooks/<connector>/<instance>}. */
    public static final String PATH = "/hooks/*";

    private static final AtomicInteger CONTEXTS = new AtomicInteger();

    @Bean
    WebhookServletName webhookServletName() {
        int n = CONTEXTS.incrementAndGet();
        return new WebhookServletName(n == 1 ? "OmniHubWebhooks" : "OmniHubWebhooks-" + n);
    }

    @Bean
    ServletRegistrationBean<CamelHttpTransportServlet> webhookServlet(WebhookServletName name) {
        CamelHttpTransportServlet servlet = new CamelHttpTransportServlet();
        ServletRegistrationBean<CamelHttpTransportServlet> registration = new ServletRegistrationBean<>(servlet, PATH);
        registration.setName(name.value());
        registration.setAsyncSupported(true);
        // Registered with Camel before the first request arrives, not lazily on it.
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** The name this application's webhook servlet is registered under with Camel. */
    public record WebhookServletName(String value) {
    }
}
