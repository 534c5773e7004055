package io.omnihub.routes.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stopping webhook route answers what it took and hands nothing more to a connector. */
class WebhookConsumerTest {

    private final WebhookReception reception = new WebhookReception();
    private final AtomicInteger handled = new AtomicInteger();
    private final CountDownLatch handling = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void startTheRoute() throws Exception {
        camel.addComponent("webhooks", new WebhookComponent(reception));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("webhooks://hooks").routeId("webhook-ingress").process(exchange -> {
                    handled.incrementAndGet();
                    handling.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    exchange.getMessage().setBody(WebhookReply.text("success"));
                });
            }
        });
        camel.start();
    }

    @AfterEach
    void stopCamel() {
        release.countDown();
        camel.stop();
    }

    @Test
    void aRequestHandedOverAsTheRouteStopsIsAnsweredUnavailableAndNeverHandled() throws Exception {
        WebhookConsumer consumer = (WebhookConsumer) camel.getRoute("webhook-ingress").getConsumer();
        release.countDown();
        camel.getRouteController().stopRoute("webhook-ingress");

        // The servlet read the route's receiver just before it stopped and hands the request over now.
        CompletableFuture<WebhookReply> answer = new CompletableFuture<>();
        consumer.receive(call(), answer::complete);

        WebhookReply reply = answer.get(5, TimeUnit.SECONDS);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).contains("stopping");
        assertThat(handled).hasValue(0);
        assertThat(reception.open()).isFalse();
    }

    @Test
    void stoppingTheRouteWaitsUntilTheRequestsItTookAreAnswered() throws Exception {
        CompletableFuture<WebhookReply> answer = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> assertThat(reception.dispatch(call(), answer::complete)).isTrue());
        assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().stopRoute("webhook-ingress");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // No new request is taken from the moment stopping begins, while the one taken is still handled.
        while (reception.open()) {
            Thread.onSpinWait();
        }
        assertThat(stopped).isNotDone();
        assertThat(answer).isNotDone();

        release.countDown();
        stopped.get(10, TimeUnit.SECONDS);
        assertThat(answer.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(handled).hasValue(1);
    }

    private static WebhookCall call() {
        WebhookRequest request = new WebhookRequest("POST", Map.of(), Map.of(), "<xml/>".getBytes(StandardCharsets.UTF_8),
                Instant.parse("2026-12-07T12:00:00Z"));
        return new WebhookCall("wechat", "shop", request, null);
    }
}
