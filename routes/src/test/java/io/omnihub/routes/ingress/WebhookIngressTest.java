package io.omnihub.routes.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.routes.Queues;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.broker.InVmBroker;
import io.omnihub.routes.broker.RawJournal;
import io.omnihub.routes.stage.OneRunningInstance;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A handler's failure is the input's fault only while its instance stays open: a request whose
 * instance was closed under it (stopped, reconfigured, its plugin unloaded) is answered 503 for the
 * channel to send again, never parked as bad input.
 */
class WebhookIngressTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private InVmBroker broker;
    private RawJournal journal;
    private OneRunningInstance registry;

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(InVmBroker.inMemory(), Queues.RAW, Queues.DLQ);
        journal = new RawJournal(broker.factory(), 1, 10, Duration.ofSeconds(5), Clock.systemUTC(), () -> false, false);
    }

    @AfterEach
    void stop() throws Exception {
        journal.close();
        broker.close();
    }

    @Test
    void badInputOfAnOpenInstanceIsParkedAndAnswered400() throws Exception {
        running(request -> {
            throw new BadInputException("not a WeChat message: the root element is <html>, not <xml>");
        });

        WebhookReply reply = handle();

        assertThat(reply.status()).isEqualTo(400);
        assertThat(text(reply)).contains("root element is <html>");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(broker.depth(Queues.DLQ)).isEqualTo(1));
    }

    @Test
    void badInputFromAHandlerWhoseInstanceClosedUnderItIsAnsweredUnavailableAndNotParked() throws Exception {
        running(request -> {
            registry.close(); // stopped while this request was being handled
            throw new BadInputException("encrypted message could not be decrypted");
        });

        WebhookReply reply = handle();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(text(reply)).contains("closed while handling this request");
        assertThat(broker.depth(Queues.DLQ)).isZero();
        assertThat(broker.depth(Queues.RAW)).isZero();
    }

    @Test
    void aHandlerWhosePluginWasUnloadedUnderItIsAnsweredUnavailableAndNotParked() throws Exception {
        running(request -> {
            registry.close();
            throw new NoClassDefFoundError("com/ctc/wstx/sr/ValidatingStreamReader");
        });

        WebhookReply reply = handle();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(broker.depth(Queues.DLQ)).isZero();
    }

    @Test
    void aHandlerFailureOfAnOpenInstanceIsKeptForAnOperator() throws Exception {
        running(request -> {
            throw new IllegalStateException("a bug in the connector");
        });

        WebhookReply reply = handle();

        assertThat(reply.status()).isEqualTo(500);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(broker.depth(Queues.DLQ)).isEqualTo(1));
    }

    private WebhookReply handle() throws Exception {
        WebhookRequest request = new WebhookRequest("POST", Map.of(), Map.of("Content-Type", List.of("text/xml")),
                "<xml><MsgId>1</MsgId></xml>".getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-07T12:00:00Z"));
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(new WebhookCall("wechat", "shop", request, "signature=s"));
        WebhookIngress ingress = new WebhookIngress(registry, journal, Clock.systemUTC(), Executors.newSingleThreadExecutor(),
                new WebhookOutcomes(new SimpleMeterRegistry(), StageObserver.NONE));
        CompletableFuture<WebhookReply> answer = new CompletableFuture<>();
        ingress.process(exchange, doneSync -> answer.complete(exchange.getMessage().getBody(WebhookReply.class)));
        return answer.get(10, TimeUnit.SECONDS);
    }

    /** The instance {@code wechat/shop} running, with {@code handler} for its webhooks. */
    private void running(WebhookHandler handler) {
        registry = OneRunningInstance.of("wechat", "shop", instance(handler));
    }

    private static ConnectorInstance instance(WebhookHandler handler) {
        return new ConnectorInstance() {
            @Override
            public Optional<WebhookHandler> webhook() {
                return Optional.of(handler);
            }

            @Override
            public Normalizer normalizer() {
                throw new UnsupportedOperationException("not used by the ingress");
            }

            @Override
            public CheckResult check() {
                return CheckResult.ok("fine");
            }
        };
    }

    private static String text(WebhookReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }
}
