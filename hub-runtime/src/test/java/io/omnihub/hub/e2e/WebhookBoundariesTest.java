package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnihub.routes.Queues;
import io.omnihub.routes.WebhookIngressRoute;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The public webhook endpoint under hostile or unlucky conditions: bodies over the limit, a sender
 * that never finishes, forged pushes in bulk, the route or the instance not there. Real hub, real
 * WeChat plugin, embedded broker; requests written byte by byte where a client library would not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
class WebhookBoundariesTest {

    static final String TOKEN = "boundaries-token";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String CORP_ID = "ww00000000bounds01";
    static final String APP_ID = "wx00000000bounds01";
    /** WeChat's own limit; far above the hub's default of 64 KB here, to show the per-connector override. */
    static final long WECHAT_LIMIT = 2 * 1024 * 1024;
    static final Duration DEADLINE = Duration.ofSeconds(3);
    /** A dead-letter queue small enough to fill in a test. */
    static final long DEAD_LETTER_LIMIT = 256 * 1024;

    static final Path DATA_DIR;
    static final Path PLUGINS_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("omnihub-webhook-bounds");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PLUGINS_DIR = TestPlugins.pluginsFolderWithWeChat();
    }

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.plugins.dir", PLUGINS_DIR::toString);
        registry.add("hub.security.admin-password", () -> "bounds-admin");
        registry.add("hub.webhooks.max-body-size", () -> "64KB");
        registry.add("hub.webhooks.connectors.wechat.max-body-size", () -> WECHAT_LIMIT + "B");
        registry.add("hub.webhooks.deadline", DEADLINE::toString);
        registry.add("hub.embedded-broker.dead-letter-max-size", () -> DEAD_LETTER_LIMIT + "B");
        // Nothing downstream: what reaches the broker stays where the test can count it.
        registry.add("hub.pipeline.normalize-consumers", () -> "0");
        WeChatInstances.register(registry, "corp", "wecom", CORP_ID, "corp-secret", TOKEN, AES_KEY, "http://localhost:9");
        WeChatInstances.register(registry, "oa", "mp", APP_ID, "oa-secret", TOKEN, null, "http://localhost:9");
        // An EncodingAESKey that is not 43 characters: the instance stays FAILED.
        WeChatInstances.register(registry, "broken", "mp", "wx00000000bounds02", "broken-secret", TOKEN, "too-short", "http://localhost:9");
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedActiveMQ broker;

    @Autowired
    CamelContext camel;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aContentLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() {
        RawHttp.Answer answer = RawHttp.postAnnouncing(port, "/hooks/wechat/oa?" + signedQuery(), 400L * 1024 * 1024,
                new byte[0], Duration.ofSeconds(10));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(answer.body()).contains("larger than " + WECHAT_LIMIT + " bytes");
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimit() {
        RawHttp.Answer answer = RawHttp.postStreaming(port, "/hooks/wechat/oa?" + signedQuery(), 400L * 1024 * 1024, true,
                Duration.ofSeconds(10));

        assertThat(answer.status()).isEqualTo(413);
        // What the client could push before it heard the refusal: the limit plus the sockets' buffers,
        // nowhere near the 400 MB it had to send.
        assertThat(answer.bytesSent()).isLessThan(64L * 1024 * 1024);
        assertThat(prometheus()).containsPattern("hub_webhook_requests_total\\{[^}]*instance=\"oa\"[^}]*outcome=\"too_large\"");
    }

    @Test
    void aSenderThatNeverFinishesItsBodyIsAnsweredWithinTheDeadline() {
        Instant start = Instant.now();
        RawHttp.Answer answer = RawHttp.postAnnouncing(port, "/hooks/wechat/oa?" + signedQuery(), 10_000,
                "<xml><ToUserName>".getBytes(StandardCharsets.UTF_8), DEADLINE.plusSeconds(5));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isNotBlank();
        assertThat(Duration.between(start, Instant.now())).isLessThan(DEADLINE.plusSeconds(2));
    }

    @Test
    void twoHundredUnsignedOneMegabyteBodiesToAWeComInstanceAreRefusedAndNothingIsKept() throws Exception {
        long deadLettersBefore = new PipelineProbe(broker).depth(Queues.DLQ);
        long rawBefore = new PipelineProbe(broker).depth(Queues.RAW);
        long refusedBefore = counter("corp", "bad_signature");
        byte[] garbage = new byte[1_000_000];
        Arrays.fill(garbage, (byte) '<');
        long timestamp = System.currentTimeMillis() / 1000;
        // A made-up msg_signature, as anyone on the internet can send one.
        URI uri = URI.create("http://localhost:" + port + "/hooks/wechat/corp?msg_signature=" + "0123456789abcdef".repeat(2)
                + "01234567&timestamp=" + timestamp + "&nonce=42");

        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            statuses.add(senders.submit(() -> http.send(HttpRequest.newBuilder(uri).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(garbage)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()));
        }
        List<Integer> answers = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            answers.add(status.get());
        }
        senders.shutdown();

        assertThat(answers).hasSize(200).containsOnly(401);
        assertThat(new PipelineProbe(broker).depth(Queues.DLQ)).isEqualTo(deadLettersBefore);
        assertThat(new PipelineProbe(broker).depth(Queues.RAW)).isEqualTo(rawBefore);
        assertThat(counter("corp", "bad_signature") - refusedBefore).isEqualTo(200);
    }

    @Test
    void aSignedButMalformedPushIsTheOnlyOneKept() throws Exception {
        long deadLettersBefore = new PipelineProbe(broker).depth(Queues.DLQ);

        HttpResponse<String> forged = post("/hooks/wechat/oa?signature=" + "0".repeat(40) + "&timestamp="
                + System.currentTimeMillis() / 1000 + "&nonce=1", "<xml><half");
        HttpResponse<String> signed = post("/hooks/wechat/oa?" + signedQuery(), "<xml><half");

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(signed.statusCode()).isEqualTo(400);
        assertThat(new PipelineProbe(broker).depth(Queues.DLQ)).isEqualTo(deadLettersBefore + 1);
    }

    @Test
    void onceTheDeadLetterQueueReachesItsBoundBadInputIsAnsweredUnavailableInsteadOfKept() throws Exception {
        String bulky = "<xml><ToUserName>" + "x".repeat(20_000);
        List<Integer> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 40 && !answers.contains(503); i++) {
                answers.add(post("/hooks/wechat/oa?" + signedQuery(), bulky).statusCode());
            }
            String metrics = prometheus();

            assertThat(answers).contains(400).endsWith(503);
            assertThat(answers.subList(0, answers.size() - 1)).containsOnly(400);
            assertThat(gauge(metrics, "hub_dlq_limit_bytes")).isEqualTo((double) DEAD_LETTER_LIMIT);
            assertThat(gauge(metrics, "hub_dlq_size_bytes")).isBetween(0.9 * DEAD_LETTER_LIMIT, (double) DEAD_LETTER_LIMIT);
        } finally {
            // An operator discarding what was parked: the other tests need room on the queue.
            broker.getActiveMQServer().locateQueue(SimpleString.of(Queues.DLQ)).deleteAllReferences();
        }
        // Paged dead letters are released from the broker's count as their pages are cleaned up.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> post("/hooks/wechat/oa?" + signedQuery(), bulky).statusCode() == 400);
    }

    @Test
    void anUnknownInstanceIsNotFoundButAConfiguredOneThatIsNotRunningIsUnavailable() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> post("/hooks/wechat/oa?" + signedQuery(), text(1)).statusCode() == 200);

        HttpResponse<String> unknown = post("/hooks/wechat/nobody?" + signedQuery(), text(2));
        HttpResponse<String> failed = post("/hooks/wechat/broken?" + signedQuery(), text(3));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void whileTheIngressRouteIsStoppedWebhooksAreUnavailableNotNotFound() throws Exception {
        camel.getRouteController().stopRoute(WebhookIngressRoute.ROUTE_ID);
        HttpResponse<String> whileStopped;
        try {
            whileStopped = post("/hooks/wechat/oa?" + signedQuery(), text(4));
        } finally {
            camel.getRouteController().startRoute(WebhookIngressRoute.ROUTE_ID);
        }
        HttpResponse<String> afterwards = post("/hooks/wechat/oa?" + signedQuery(), text(5));

        assertThat(whileStopped.statusCode()).isEqualTo(503);
        assertThat(whileStopped.headers().firstValue("Retry-After")).contains("5");
        assertThat(afterwards.statusCode()).isEqualTo(200);
        assertThat(afterwards.body()).isEqualTo("success");
    }

    @Test
    void onlyGetAndPostAreServed() throws Exception {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hooks/wechat/oa"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("GET, POST");
    }

    private HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String signedQuery() {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(System.nanoTime());
        return "signature=" + SHA1.gen(TOKEN, timestamp, nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce
                + "&openid=oBoundsTest";
    }

    private static String text(long msgId) {
        return WeChatWebhookClient.text("oBoundsTest", System.currentTimeMillis() / 1000, "bounds " + msgId,
                7300000000000000000L + msgId + System.nanoTime() % 1_000_000 * 100);
    }

    private String prometheus() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                            .encodeToString("admin:bounds-admin".getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double gauge(String metrics, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.E+]+)$").matcher(metrics);
        assertThat(value.find()).as("%s exported", name).isTrue();
        return Double.parseDouble(value.group(1));
    }

    private long counter(String instance, String outcome) {
        Matcher matcher = Pattern.compile("hub_webhook_requests_total\\{[^}]*instance=\"" + instance + "\"[^}]*outcome=\""
                + outcome + "\"[^}]*} ([0-9.E]+)").matcher(prometheus());
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }
}
