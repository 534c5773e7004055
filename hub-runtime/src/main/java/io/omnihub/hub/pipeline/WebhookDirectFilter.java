package io.omnihub.hub.pipeline;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Hands every {@code /hooks/*} request straight to the webhook servlet, ahead of every other filter
 * of the server (Spring Security's chain and firewall, observations, WebSocket upgrade, request
 * context): a channel's request is authenticated by its connector's signature check and none of
 * them applies to it, yet together they cost the webhook path about as much CPU as its own work.
 * Mapped to {@code /hooks/*} only, so every other path keeps its full chain.
 */
final class WebhookDirectFilter implements Filter {

    private final Servlet webhooks;

    WebhookDirectFilter(Servlet webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        webhooks.service(request, response);
    }
}
