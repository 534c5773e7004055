package io.omnihub.hub.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.omnihub.hub.metrics.StageMeters;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.ingress.WebhookComponent;
import io.omnihub.routes.ingress.WebhookLimits;
import io.omnihub.routes.ingress.WebhookOutcomes;
import io.omnihub.routes.ingress.WebhookReception;
import io.omnihub.routes.ingress.WebhookServlet;
import java.time.Clock;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Serves {@code /hooks/*} with the {@link WebhookServlet}, which reads each request within its
 * connector's body limit and hands it to the {@code webhook-ingress} route through the
 * {@code webhooks:} component. Until the hub is ready, and from the moment it begins to shut down,
 * the servlet answers 503. The {@link WebhookDirectFilter}, first of all filters, takes those requests
 * past the rest of the server's filters.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookServletConfiguration {

    /** The path webhooks are served under: {@code /hooks/<connector>/<instance>}. */
    public static final String PATH = "/hooks/*";

    @Bean
    WebhookReception webhookReception() {
        return new WebhookReception();
    }

    /** The {@code webhooks:} endpoints the {@code webhook-ingress} route consumes. */
    @Bean("webhooks")
    WebhookComponent webhookComponent(WebhookReception reception) {
        return new WebhookComponent(reception);
    }

    @Bean
    WebhookLimits webhookLimits(WebhookProperties properties) {
        return properties.toLimits();
    }

    @Bean
    WebhookOutcomes webhookOutcomes(MeterRegistry meters, StageMeters stageMeters) {
        return new WebhookOutcomes(meters, stageMeters);
    }

    @Bean
    ServletRegistrationBean<WebhookServlet> webhookServlet(WebhookReception reception, ConnectorRegistry registry,
                                                           WebhookLimits limits, WebhookOutcomes outcomes,
                                                           ApplicationAvailability availability, Clock clock) {
        WebhookServlet servlet = new WebhookServlet(reception, registry, limits, outcomes,
                () -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC, clock);
        ServletRegistrationBean<WebhookServlet> registration = new ServletRegistrationBean<>(servlet, PATH);
        registration.setName("webhooks");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** First of all filters: {@code /hooks/*} skips the others (see {@link WebhookDirectFilter}). */
    @Bean
    FilterRegistrationBean<WebhookDirectFilter> webhookDirectFilter(ServletRegistrationBean<WebhookServlet> webhookServlet) {
        FilterRegistrationBean<WebhookDirectFilter> registration =
                new FilterRegistrationBean<>(new WebhookDirectFilter(webhookServlet.getServlet()));
        registration.setName("webhooks-direct");
        registration.addUrlPatterns(PATH);
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
