package io.omnihub.hub.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import javax.sql.DataSource;
import jdk.jfr.Recording;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;

/**
 * Load generator for the webhook path (DESIGN §4 "throughput by design").
 *
 * <p>Starts the hub in this JVM with embedded Artemis and PostgreSQL and the real WeChat plugin,
 * WireMock as the WeChat API, and a bare servlet on the same Tomcat as the <em>floor</em>: what
 * this machine's HTTP stack can answer with no work at all. It warms the hub up until its JIT has
 * settled ({@link #warmUp}), then drives, with the same number of concurrent clients, (1) the
 * floor, (2) WeChat text-message webhooks, each one a distinct message from one of
 * {@link #followers()} followers, and reports requests per second with p50/p99 latency, and
 * the rate at which the CRM core applied the events end to end.
 *
 * <p>Run: {@code hub-runtime/bench/load.sh [seconds] [clients]}. The load generator shares the
 * machine's cores with the hub, so the figures are conservative; compare the ratios.
 */
public final class WebhookLoadBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int users = followers();

        BenchHub hub = BenchHub.start(List.of(FloorServlet.class));
        String base = hub.base();
        DataSource dataSource = hub.dataSource();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String hookUrl = base + hub.hookPath();
        AtomicLong msgIds = new AtomicLong(8_000_000_000_000_000_000L);
        LongFunction<HttpRequest> floor = n -> HttpRequest.newBuilder(URI.create(base + "/bench/floor"))
                .POST(HttpRequest.BodyPublishers.ofString(textMessage(n % users, msgIds.incrementAndGet()))).build();
        LongFunction<HttpRequest> webhook = n -> HttpRequest.newBuilder(URI.create(hookUrl))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(textMessage(n % users, msgIds.incrementAndGet()), StandardCharsets.UTF_8))
                .build();

        // wrk, when installed, generates the load from its own process with far less CPU per request
        // than the JDK client, leaving the hub more of the machine: the figures that count. It warms
        // the hub up too: the JDK client would spend the hub's JIT and CPU on its own code.
        boolean useWrk = Wrk.available() && !Boolean.getBoolean("omnihub.bench.jdk-client");
        warmUp(useWrk ? () -> Wrk.run(hookUrl, webhookScript(users), clients, WARMUP_ROUND)
                : () -> drive(http, webhook, clients, WARMUP_ROUND), dataSource);

        System.out.println("load generator: " + (useWrk ? "wrk (separate process)" : "JDK HttpClient in this JVM"));
        Result floorResult = useWrk
                ? Wrk.run(base + "/bench/floor", webhookScript(users), clients, Duration.ofSeconds(seconds))
                : drive(http, floor, clients, Duration.ofSeconds(seconds));
        long appliedBefore = applied(dataSource);
        // -Domnihub.bench.jfr=<file>: a JFR profile of the webhook phase alone, to see where the CPU goes.
        Recording profile = profileTo(System.getProperty("omnihub.bench.jfr"));
        long started = System.nanoTime();
        Result ingressResult = useWrk
                ? Wrk.run(hookUrl, webhookScript(users), clients, Duration.ofSeconds(seconds))
                : drive(http, webhook, clients, Duration.ofSeconds(seconds));
        if (profile != null) {
            profile.stop();
            System.out.println("profile of the webhook phase: " + profile.getDestination());
        }
        long drainedAt = waitForDrain(dataSource, Duration.ofMinutes(10));
        long appliedEvents = applied(dataSource) - appliedBefore;
        double endToEnd = appliedEvents / ((drainedAt - started) / 1e9);

        System.out.println();
        System.out.println("| path | clients | requests | req/s | p50 ms | p99 ms | errors |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.println(floorResult.row("bare HTTP floor (same Tomcat, no work)", clients));
        System.out.println(ingressResult.row("WeChat webhook, durable before ack", clients));
        System.out.printf("%nevents applied end to end: %d in %.1f s = %.0f events/s%n", appliedEvents,
                (drainedAt - started) / 1e9, endToEnd);
        System.out.printf("ingress / floor = %.2f, end to end / floor = %.2f%n",
                ingressResult.perSecond() / floorResult.perSecond(), endToEnd / floorResult.perSecond());
        hub.close();
        System.exit(0);
    }

    static final Duration WARMUP_ROUND = Duration.ofSeconds(10);

    /**
     * Sends webhooks in rounds of {@link #WARMUP_ROUND} until the JIT has settled: the hub's hot
     * code (Tomcat, Camel, Artemis, the PostgreSQL driver, Jackson, CEL) is large enough that, with
     * one C2 thread on two cores, compiling it takes a core for a minute or more. Measured before
     * that, the figures would be the compiler's, not the hub's sustained rate. Two rounds in a row
     * in which compiling took less than a tenth of the round's time end the warm-up (at least
     * {@code omnihub.bench.warmup-seconds}, 20 by default; at most
     * {@code omnihub.bench.warmup-max-seconds}, 240 by default). The hand-written peer is warmed up
     * by the same rule (bench/peer-settled.sh). Prints whether the JIT settled within the limit.
     */
    static void warmUp(Phase round, DataSource dataSource) throws Exception {
        long minimum = Long.getLong("omnihub.bench.warmup-seconds", 20) * 1_000_000_000L;
        long maximum = Long.getLong("omnihub.bench.warmup-max-seconds", 240) * 1_000_000_000L;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            throw new IllegalStateException("this JVM does not report its compilation time; the warm-up cannot tell when its JIT settles");
        }
        long start = System.nanoTime();
        long webhooks = 0;
        int quiet = 0;
        // Contiguous windows: a compile that finishes between two rounds counts in the next.
        long compiledBefore = jit.getTotalCompilationTime();
        long windowStart = System.nanoTime();
        while (true) {
            Result result = round.run();
            webhooks += result.requests();
            long now = System.nanoTime();
            long compiled = jit.getTotalCompilationTime();
            double compiling = (compiled - compiledBefore) / ((now - windowStart) / 1e6);
            compiledBefore = compiled;
            windowStart = now;
            System.out.printf(Locale.ROOT, "warm-up round: %.0f webhooks/s, %d errors, compiling %.0f %% of the time%n",
                    result.perSecond(), result.errors(), compiling * 100);
            quiet = compiling < 0.1 ? quiet + 1 : 0;
            long elapsed = now - start;
            if ((quiet >= 2 && elapsed >= minimum) || elapsed >= maximum) {
                break;
            }
        }
        waitForDrain(dataSource, Duration.ofMinutes(5));
        System.out.printf(Locale.ROOT, "warm-up: %d webhooks in %.0f s, %d events applied, JIT %s%n", webhooks,
                (System.nanoTime() - start) / 1e9, applied(dataSource), quiet >= 2 ? "settled" : "not settled");
    }

    @FunctionalInterface
    interface Phase {
        Result run() throws Exception;
    }

    private static Recording profileTo(String file) throws IOException, java.text.ParseException {
        if (file == null || file.isBlank()) {
            return null;
        }
        Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        // The profile's 10 ms (20 ms) period leaves too few samples in one phase to rank methods.
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(Long.getLong("omnihub.bench.jfr-period-ms", 5)));
        recording.setDestination(Path.of(file));
        recording.start();
        return recording;
    }

    record Result(long requests, long errors, double seconds, double p50Millis, double p99Millis) {
        double perSecond() {
            return requests / seconds;
        }

        String row(String name, int clients) {
            return String.format("| %s | %d | %d | %.0f | %.2f | %.2f | %d |", name, clients, requests, perSecond(),
                    p50Millis, p99Millis, errors);
        }
    }

    /** Closed loop: each client sends its next request as soon as the last one was answered. */
    static Result drive(HttpClient http, LongFunction<HttpRequest> requests, int clients, Duration duration)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(3);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    HttpRequest request = requests.apply(sequence.incrementAndGet());
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                    latency.recordValue(System.nanoTime() - sent);
                    done.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(done.get(), errors.get(), (System.nanoTime() - start) / 1e9,
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6);
    }

    /**
     * How many followers the webhooks come from: as many as the hand-written peer's script draws
     * from (its BENCH_USERS, 100,000), or {@code omnihub.bench.users}.
     */
    static int followers() {
        return Integer.getInteger("omnihub.bench.users", 100_000);
    }

    private static final AtomicInteger WRK_RUNS = new AtomicInteger();

    /**
     * wrk's request script: a distinct MsgId per request across all wrk threads and all wrk runs of
     * this JVM (a repeated MsgId would be taken as the channel's resend and applied once), each from
     * one of {@code users} followers drawn at random (as the hand-written peer's script draws them),
     * the same XML as {@link #textMessage}. (Signing needs no body:
     * WeChat's plaintext signature covers token, timestamp and nonce.)
     */
    static String webhookScript(int users) {
        int run = WRK_RUNS.incrementAndGet();
        if (run > 999) {
            throw new IllegalStateException("more than 999 wrk runs in one JVM: their MsgIds would repeat");
        }
        return WEBHOOK_SCRIPT.replace("@RUN@", Integer.toString(run)).replace("@USERS@", Integer.toString(users));
    }

    private static final String WEBHOOK_SCRIPT = """
            local threads = 0
            function setup(thread)
              threads = threads + 1
              thread:set("tid", threads)
            end
            function init(args)
              math.randomseed(tid * 7919 + os.time())
            end
            counter = 0
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "text/xml"
            function request()
              counter = counter + 1
              local msgid = string.format("7%03d%02d%012d", @RUN@, tid, counter)
              local body = "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[oBench_user_"
                .. string.format("%08d", math.random(@USERS@) - 1) .. "_abcdefgh]]></FromUserName><CreateTime>1700000000</CreateTime>"
                .. "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[压测消息 " .. msgid .. "]]></Content><MsgId>"
                .. msgid .. "</MsgId></xml>"
              return wrk.format(nil, nil, nil, body)
            end
            """;

    static String textMessage(long user, long msgId) {
        return "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[oBench_user_"
                + String.format("%08d", user) + "_abcdefgh]]></FromUserName><CreateTime>1700000000</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[压测消息 " + msgId + "]]></Content><MsgId>"
                + msgId + "</MsgId></xml>";
    }

    static long applied(DataSource dataSource) throws Exception {
        try (var connection = dataSource.getConnection();
             var statement = connection.createStatement();
             var rows = statement.executeQuery("select count(*) from crm_processed_event")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Waits until the applied count stops growing; returns the nano time of the last growth. */
    static long waitForDrain(DataSource dataSource, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = applied(dataSource);
        long lastGrowth = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            long now = applied(dataSource);
            if (now != last) {
                last = now;
                lastGrowth = System.nanoTime();
            } else if (System.nanoTime() - lastGrowth > Duration.ofSeconds(3).toNanos()) {
                return lastGrowth;
            }
        }
        throw new IllegalStateException("pipeline did not drain within " + timeout);
    }

    static void waitForInstance(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String timestamp = "1700000000";
        String signature = sha1Sorted(BenchHub.TOKEN, timestamp, "probe");
        URI probe = URI.create(base + "/hooks/wechat/bench?signature=" + signature + "&timestamp=" + timestamp
                + "&nonce=probe&echostr=ready");
        for (int i = 0; i < 300; i++) {
            if (http.send(HttpRequest.newBuilder(probe).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("WeChat instance did not start");
    }

    static String sha1Sorted(String... parts) throws Exception {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
    }

    /** The floor: a servlet on the hub's own Tomcat that reads the body and answers at once. */
    @Configuration(proxyBeanMethods = false)
    static class FloorServlet {

        @Bean
        ServletRegistrationBean<HttpServlet> floorServlet() {
            return new ServletRegistrationBean<>(new HttpServlet() {
                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    request.getInputStream().readAllBytes();
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("success");
                }
            }, "/bench/floor");
        }

        @Bean
        WebSecurityCustomizer floorIsPublic() {
            return web -> web.ignoring().requestMatchers("/bench/**");
        }
    }
}
