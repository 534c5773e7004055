package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.omnihub.routes.Queues;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults never become loss (DESIGN §4), on real processes: the hub as its own JVM, on a PostgreSQL
 * server and an Artemis broker that each run as processes of their own, which the test makes hang
 * (SIGSTOP), kills (SIGKILL) and starts again, while WeChat pushes keep arriving. Also: oversized
 * uploads cost the hub no memory, and a starting or stopping hub answers 503, never 404.
 *
 * <p>The faults are short here (seconds) so the suite stays quick; {@code hub-runtime/chaos/faults.sh}
 * runs the same scenarios at full length (a 60 s database hang, a 6-minute outage, a 60 s broker
 * outage, twenty 400 MB uploads) through the {@code omnihub.faults.*} system properties, and the
 * figures of each run are appended to {@code target/faults-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest {

    static final String TOKEN = "faults-token";
    static final String APP_ID = "wx00000000faults01";
    static final String OPENID = "oFaultsTest_0123456789abcdefg";
    static final String UNIONID = "oUnionFaults_0123456789abcdef";
    static final String INSTANCE = "faults";
    static final String PASSWORD = "faults-admin";
    /** Each scenario's MsgIds start here plus a multiple of 10^9, so they never collide. */
    static final long FIRST_MSG_ID = 7_400_000_000_000_000_000L;

    static final Duration DB_HANG = duration("omnihub.faults.db-hang", "10s");
    static final Duration DB_OUTAGE = duration("omnihub.faults.db-outage", "15s");
    static final Duration BROKER_OUTAGE = duration("omnihub.faults.broker-outage", "15s");
    static final int UPLOADS = Integer.getInteger("omnihub.faults.uploads", 4);
    static final long UPLOAD_BYTES = Long.getLong("omnihub.faults.upload-megabytes", 64) * 1024 * 1024;
    static final int LOAD_THREADS = Integer.getInteger("omnihub.faults.load-threads", 4);
    static final Duration LOAD_PACE = duration("omnihub.faults.load-pace", "50ms");
    /** How long the hub may take to apply what it acknowledged once the fault is over. */
    static final Duration CATCH_UP = duration("omnihub.faults.catch-up", "3m");

    static final long MEMORY_BOUND_BYTES = 100L * 1024 * 1024;
    static final Duration WEBHOOK_ANSWER_BOUND = Duration.ofSeconds(3);
    static final Duration HEALTH_ANSWER_BOUND = Duration.ofSeconds(2);

    static Path work;
    static ExternalPostgres database;
    static ExternalArtemis broker;
    static WireMockServer wechatApi;
    static HubProcess hub;
    static long hubPid;
    static HealthProbe health;
    static final List<Integer> startupAnswers = Collections.synchronizedList(new ArrayList<>());
    static final Set<Long> acknowledged = Collections.synchronizedSet(new TreeSet<>());
    static final StringBuilder report = new StringBuilder();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startEverything() throws Exception {
        Files.createDirectories(Path.of("target"));
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "faults-");
        database = new ExternalPostgres(work);
        broker = new ExternalArtemis(work);
        broker.start();
        wechatApi = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        wechatApi.start();
        WeChatApiStubs.officialAccount(wechatApi, APP_ID, OPENID, UNIONID);

        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hub.data-dir", work.resolve("data").toString());
        properties.put("hub.plugins.dir", TestPlugins.pluginsFolderWithWeChat().toString());
        properties.put("hub.security.admin-password", PASSWORD);
        properties.put("spring.datasource.url", database.jdbcUrl());
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("spring.artemis.mode", "native");
        properties.put("spring.artemis.broker-url", broker.url());
        String instance = "hub.connectors.wechat." + INSTANCE + ".";
        properties.put(instance + "kind", "mp");
        properties.put(instance + "app-id", APP_ID);
        properties.put(instance + "app-secret", "faults-app-secret");
        properties.put(instance + "token", TOKEN);
        properties.put(instance + "api-base-url", wechatApi.baseUrl());
        hub = new HubProcess(properties, work.resolve("hub.log"));
        record("# Fault runs, " + Instant.now() + "\n\ndatabase hang " + DB_HANG + ", database outage " + DB_OUTAGE
                + ", broker outage " + BROKER_OUTAGE + ", " + UPLOADS + " uploads of " + UPLOAD_BYTES / (1024 * 1024)
                + " MB, load " + LOAD_THREADS + " senders every " + LOAD_PACE.toMillis() + " ms\n");

        // From the moment the process exists, a WeChat server keeps pushing.
        hub.launch();
        hubPid = hub.pid();
        WebhookLoad startup = new WebhookLoad(hub.baseUrl(), INSTANCE, TOKEN, OPENID, FIRST_MSG_ID, 1, Duration.ofMillis(100));
        startup.start();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> startup.sent().stream().anyMatch(s -> s.status() == 200));
        startup.close();
        startup.sent().forEach(s -> startupAnswers.add(s.status()));
        acknowledged.addAll(startup.acknowledged());
        hub.awaitUp(Duration.ofMinutes(2));
        health = new HealthProbe(hub.baseUrl());
    }

    @AfterAll
    static void stopEverything() throws IOException {
        if (health != null) {
            health.close();
        }
        if (hub != null) {
            hub.stop();
        }
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            database.close();
        }
        if (wechatApi != null) {
            wechatApi.stop();
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "faults-report.md"), report + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    @Order(1)
    void whileTheHubStartsWebhooksAreUnavailableNeverNotFound() {
        Map<Integer, Integer> answers = histogram(startupAnswers);
        record("## Start\n\nanswers while starting (status: count, -1 = connection refused): " + answers + "\n");

        assertThat(answers).containsKey(200);
        assertThat(answers.keySet()).isSubsetOf(WebhookLoad.UNREACHABLE, 503, 200);
        assertAppliedExactlyOnce(acknowledged);
    }

    @Test
    @Order(2)
    void parallelOversizedUploadsAreRefusedWithoutGrowingTheHubsMemory() throws Exception {
        try (WebhookLoad warmUp = load(1)) {
            Thread.sleep(5_000);
            acknowledged.addAll(warmUp.acknowledged());
        }
        long before = residentBytes();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(residentBytes(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        ExecutorService uploaders = Executors.newFixedThreadPool(UPLOADS);
        List<Future<RawHttp.Answer>> uploads = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < UPLOADS; i++) {
            boolean chunked = i % 2 == 1;
            uploads.add(uploaders.submit(() -> RawHttp.postStreaming(port(), "/hooks/wechat/" + INSTANCE + "?" + signedQuery(),
                    UPLOAD_BYTES, chunked, Duration.ofMinutes(2))));
        }
        List<Integer> statuses = new ArrayList<>();
        long sent = 0;
        for (Future<RawHttp.Answer> upload : uploads) {
            RawHttp.Answer answer = upload.get();
            statuses.add(answer.status());
            sent += answer.bytesSent();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        uploaders.shutdown();
        Thread.sleep(1_000);
        sampler.interrupt();
        sampler.join();
        long after = residentBytes();
        HttpResponse<String> stillServing = post(signedQuery(), WeChatWebhookClient.text(OPENID,
                System.currentTimeMillis() / 1000, "after the uploads", FIRST_MSG_ID + 1_999_999_999L));
        if (stillServing.statusCode() == 200) {
            acknowledged.add(FIRST_MSG_ID + 1_999_999_999L);
        }
        record("## Oversized uploads\n\n" + UPLOADS + " parallel uploads of " + UPLOAD_BYTES / (1024 * 1024)
                + " MB (half with Content-Length, half chunked): answers " + histogram(statuses) + " in " + took.toMillis()
                + " ms; the clients got " + sent / (1024 * 1024) + " MB out before the refusals; hub VmRSS "
                + mb(before) + " MB before, peak " + mb(peak.get()) + " MB (+" + mb(peak.get() - before) + " MB), "
                + mb(after) + " MB after; a webhook afterwards: " + stillServing.statusCode() + "\n");

        assertThat(statuses).hasSize(UPLOADS).containsOnly(413);
        assertThat(peak.get() - before).as("growth of the hub's resident memory").isLessThan(MEMORY_BOUND_BYTES);
        assertThat(stillServing.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aHangingDatabaseShowsInHealthAtOnceAndLosesNothing() throws Exception {
        databaseFault(2, "Database hang (SIGSTOP of every PostgreSQL process)", database::hang, DB_HANG, database::resume);
    }

    @Test
    @Order(4)
    void aDatabaseOutageParksNothingAndEveryAcknowledgedWebhookIsAppliedOnceAfterwards() throws Exception {
        databaseFault(3, "Database outage (SIGKILL of PostgreSQL, restarted by the operator)", database::kill, DB_OUTAGE,
                database::restart);
    }

    /**
     * Under webhook load, {@code begin} a database fault, let it last, {@code end} it; then: every
     * webhook meanwhile was answered 200 as always, health answered in time naming {@code db} and
     * came back UP by itself, every acknowledged webhook is applied exactly once, nothing was
     * parked, and the hub never restarted.
     */
    private void databaseFault(int scenario, String title, Runnable begin, Duration length, Runnable end) throws Exception {
        long deadLettersBefore = deadLetters();
        Window fault;
        List<WebhookLoad.Sent> sent;
        try (WebhookLoad load = load(scenario)) {
            Thread.sleep(3_000);
            long from = System.currentTimeMillis();
            begin.run();
            Thread.sleep(length.toMillis());
            fault = new Window(from, System.currentTimeMillis());
            end.run();
            fault = fault.recovered(awaitHealthUp(fault.to));
            Thread.sleep(3_000);
            sent = load.sent();
            acknowledged.addAll(load.acknowledged());
        }
        Duration applied = assertAppliedExactlyOnce(acknowledged);
        record(describe(title, fault, sent, "db", applied));

        assertWebhooksUnaffected(sent, fault);
        assertHealthAnsweredAndNamed("db", fault);
        assertThat(deadLetters()).as("dead letters").isEqualTo(deadLettersBefore);
        assertThat(ProcessHandle.of(hubPid)).as("the same hub process, never restarted").isPresent();
    }

    @Test
    @Order(5)
    void whileTheBrokerIsDownWebhooksAreAnswered503QuicklyAndNothingAcknowledgedIsLost() throws Exception {
        long deadLettersBefore = deadLetters();
        Window fault;
        List<WebhookLoad.Sent> sent;
        long firstAckAfter;
        long accepting;
        try (WebhookLoad load = load(4)) {
            Thread.sleep(3_000);
            broker.kill();
            long from = System.currentTimeMillis();
            Thread.sleep(BROKER_OUTAGE.toMillis());
            long restarting = System.currentTimeMillis();
            broker.start();
            accepting = System.currentTimeMillis();
            fault = new Window(from, restarting);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                    load.sentBetween(restarting, Long.MAX_VALUE).stream().anyMatch(s -> s.status() == 200));
            firstAckAfter = load.sentBetween(restarting, Long.MAX_VALUE).stream().filter(s -> s.status() == 200)
                    .mapToLong(s -> s.startedAtMillis() + s.tookMillis()).min().orElseThrow();
            fault = fault.recovered(awaitHealthUp(restarting));
            Thread.sleep(3_000);
            sent = load.sent();
            acknowledged.addAll(load.acknowledged());
        }
        Duration applied = assertAppliedExactlyOnce(acknowledged);
        List<WebhookLoad.Sent> during = between(sent, fault.from, fault.to);
        record(describe("Broker outage (SIGKILL of Artemis, restarted on its journal)", fault, sent, "jms", applied)
                + "the restarted broker accepted connections " + (accepting - fault.to) + " ms after it was started, the hub "
                + "acknowledged the first webhook " + (firstAckAfter - accepting) + " ms after that\n");

        assertThat(during).isNotEmpty();
        assertThat(during).allSatisfy(s -> {
            assertThat(s.status()).as("answer to MsgId %d", s.msgId()).isEqualTo(503);
            assertThat(s.tookMillis()).as("answer time of MsgId %d", s.msgId()).isLessThan(WEBHOOK_ANSWER_BOUND.toMillis());
        });
        assertHealthAnsweredAndNamed("jms", fault);
        assertThat(deadLetters()).as("dead letters").isEqualTo(deadLettersBefore);
        assertThat(ProcessHandle.of(hubPid)).as("the same hub process, never restarted").isPresent();
    }

    @Test
    @Order(6)
    void aGracefullyStoppingHubAnswersUnavailableNeverNotFoundAndKeepsWhatItAcknowledged() throws Exception {
        List<WebhookLoad.Sent> sent;
        long stoppedAt;
        try (WebhookLoad load = load(5)) {
            Thread.sleep(2_000);
            health.close();
            stoppedAt = System.currentTimeMillis();
            hub.stop();
            Thread.sleep(1_000);
            sent = load.sent();
            acknowledged.addAll(load.acknowledged());
        }
        Map<Integer, Integer> answers = histogram(sent.stream().map(WebhookLoad.Sent::status).toList());
        Set<Integer> expected = Set.of(200, 503, WebhookLoad.UNREACHABLE);
        List<String> unexpected = sent.stream().filter(s -> !expected.contains(s.status()))
                .map(s -> "MsgId " + s.msgId() + " sent " + (s.startedAtMillis() - stoppedAt) + " ms after the stop began, answered "
                        + s.status() + " in " + s.tookMillis() + " ms: " + s.answer())
                .toList();
        hub.start(Duration.ofMinutes(3));
        Duration applied = assertAppliedExactlyOnce(acknowledged);
        record("## Graceful stop\n\nanswers while stopping: " + answers + "; after a restart every acknowledged webhook "
                + "so far (" + acknowledged.size() + ") applied exactly once, " + applied.toMillis() + " ms\n"
                + (unexpected.isEmpty() ? "" : "unexpected answers: " + unexpected + "\n"));

        assertThat(unexpected).as("answers other than 200, 503 or a refused connection").isEmpty();
    }

    // ---------------------------------------------------------------------------------------------

    /** When a fault began and ended, and when the hub reported UP again. */
    record Window(long from, long to, long upAgain) {
        Window(long from, long to) {
            this(from, to, -1);
        }

        Window recovered(long at) {
            return new Window(from, to, at);
        }
    }

    private WebhookLoad load(int scenario) {
        return new WebhookLoad(hub.baseUrl(), INSTANCE, TOKEN, OPENID, FIRST_MSG_ID + scenario * 1_000_000_000L,
                LOAD_THREADS, LOAD_PACE).start();
    }

    /** Webhooks do not touch the database: through a database fault they are answered as always. */
    private static void assertWebhooksUnaffected(List<WebhookLoad.Sent> sent, Window fault) {
        List<WebhookLoad.Sent> during = between(sent, fault.from, fault.to);
        assertThat(during).isNotEmpty().allSatisfy(s -> {
            assertThat(s.status()).as("answer to MsgId %d", s.msgId()).isEqualTo(200);
            assertThat(s.tookMillis()).as("answer time of MsgId %d", s.msgId()).isLessThan(WEBHOOK_ANSWER_BOUND.toMillis());
        });
    }

    /**
     * Through the fault every health answer came within two seconds, and every one asked two seconds
     * or more after it began, and answered before it ended, named {@code component} DOWN; afterwards
     * the hub reported UP on its own.
     */
    private static void assertHealthAnsweredAndNamed(String component, Window fault) {
        List<HealthProbe.Sample> during = health.between(fault.from, fault.to);
        assertThat(during).isNotEmpty().allSatisfy(s ->
                assertThat(s.tookMillis()).as("health answered at %s", Instant.ofEpochMilli(s.startedAtMillis()))
                        .isBetween(0L, HEALTH_ANSWER_BOUND.toMillis() - 1));
        List<HealthProbe.Sample> settled = health.between(fault.from + HEALTH_ANSWER_BOUND.toMillis(), fault.to).stream()
                .filter(s -> s.startedAtMillis() + s.tookMillis() < fault.to).toList();
        assertThat(settled).isNotEmpty().allSatisfy(s -> {
            assertThat(s.status()).isEqualTo(503);
            assertThat(s.down(component)).as("%s named DOWN in %s", component, s.body()).isTrue();
        });
        assertThat(fault.upAgain).as("UP again on its own").isPositive();
    }

    private static String describe(String title, Window fault, List<WebhookLoad.Sent> sent, String component, Duration applied) {
        List<WebhookLoad.Sent> during = between(sent, fault.from, fault.to);
        List<HealthProbe.Sample> samples = health.between(fault.from, fault.to);
        long firstDown = samples.stream().filter(s -> s.down(component)).mapToLong(HealthProbe.Sample::startedAtMillis).min().orElse(-1);
        return "## " + title + "\n\n"
                + "fault " + (fault.to - fault.from) + " ms; webhooks during it: " + during.size() + ", answers "
                + histogram(during.stream().map(WebhookLoad.Sent::status).toList()) + ", slowest "
                + during.stream().mapToLong(WebhookLoad.Sent::tookMillis).max().orElse(0) + " ms; "
                + "health asked " + samples.size() + " times, slowest answer "
                + samples.stream().mapToLong(HealthProbe.Sample::tookMillis).max().orElse(0) + " ms, '" + component
                + "' DOWN from " + (firstDown < 0 ? "never" : (firstDown - fault.from) + " ms") + " after the fault began, UP again "
                + (fault.upAgain - fault.to) + " ms after it ended; webhooks sent in the whole run " + sent.size()
                + ", acknowledged " + sent.stream().filter(s -> s.status() == 200).count()
                + "; every acknowledged webhook so far (" + acknowledged.size() + ") applied exactly once, "
                + applied.toMillis() + " ms after the run; dead letters unchanged\n";
    }

    private static List<WebhookLoad.Sent> between(List<WebhookLoad.Sent> sent, long from, long to) {
        return sent.stream().filter(s -> s.startedAtMillis() >= from && s.startedAtMillis() < to).toList();
    }

    private static long awaitHealthUp(long since) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> health.between(since, Long.MAX_VALUE).stream().anyMatch(HealthProbe.Sample::up));
        return health.between(since, Long.MAX_VALUE).stream().filter(HealthProbe.Sample::up)
                .mapToLong(s -> s.startedAtMillis() + s.tookMillis()).min().orElseThrow();
    }

    /** Waits until every acknowledged MsgId has its one timeline entry; returns how long that took. */
    private static Duration assertAppliedExactlyOnce(Set<Long> msgIds) {
        long started = System.nanoTime();
        Set<Long> expected = new TreeSet<>(msgIds);
        await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(1)).until(() -> timelineEntries(expected).size() == expected.size());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Map<Long, Integer> entries = timelineEntries(expected);
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(entries.values()).as("timeline entries per acknowledged message").containsOnly(1);
        return took;
    }

    private static Map<Long, Integer> timelineEntries(Set<Long> msgIds) {
        Map<Long, Integer> counts = new HashMap<>();
        try (java.sql.Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement(
                     "select event_id, count(*) from crm_timeline where event_id = any(?) group by event_id")) {
            Array ids = connection.createArrayOf("text", msgIds.stream().map(id -> "wechat:" + APP_ID + ":" + id).toArray());
            query.setArray(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String eventId = rows.getString(1);
                    counts.put(Long.parseLong(eventId.substring(eventId.lastIndexOf(':') + 1)), rows.getInt(2));
                }
            }
        } catch (SQLException e) {
            return Map.of(); // not there yet (a database just restarted)
        }
        return counts;
    }

    private static long deadLetters() throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            try (QueueBrowser browser = session.createBrowser(session.createQueue(Queues.DLQ))) {
                return Collections.list(browser.getEnumeration()).size();
            }
        }
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(hubPid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS for " + hubPid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> post(String query, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/hooks/wechat/" + INSTANCE + "?" + query))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String signedQuery() {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(System.nanoTime());
        return "signature=" + SHA1.gen(TOKEN, timestamp, nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + OPENID;
    }

    private static int port() {
        return URI.create(hub.baseUrl()).getPort();
    }

    private static Map<Integer, Integer> histogram(List<Integer> statuses) {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        statuses.forEach(status -> counts.merge(status, 1, Integer::sum));
        return counts;
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static synchronized void record(String text) {
        report.append(text).append('\n');
    }

    private static Duration duration(String property, String fallback) {
        String value = System.getProperty(property, fallback).trim();
        return value.endsWith("ms") ? Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)))
                : value.endsWith("m") ? Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)))
                : Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
    }
}
