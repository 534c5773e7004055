package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The failover drill of docs/operations.md, on real processes: the Artemis distribution as a
 * primary/backup pair (deploy/artemis), a standalone PostgreSQL server (the embedded binaries the hub
 * ships, started as their own server), and two hub nodes ({@code java -jar omnihub.jar}) behind no
 * load balancer but the drill itself, which sends to both.
 *
 * <ol>
 *   <li>Acceptance on the running cluster: an instance paused over node A's API is PAUSED on node B
 *       within 5 s; a plugin uploaded to A is STARTED on B; a console session from A works on B.</li>
 *   <li>Throughput: applied events per second with one node taking webhooks, then both.</li>
 *   <li>Failover: signed WeChat webhooks (plus journey enrollments and POS files to poll) through both
 *       nodes; the primary broker is killed with SIGKILL, later node A. Then every acknowledged
 *       webhook must be applied exactly once, every due timer must fire once, every polled row be
 *       applied once.</li>
 * </ol>
 *
 * <p>Run by {@code deploy/drill/failover.sh}, which builds the hub and fetches the distribution. Prints
 * its figures and exits non-zero when anything was lost or applied twice.
 */
public final class FailoverDrill {

    static final String APP_ID = "wx0000000000drill1";
    static final String TOKEN = "drill-token";
    static final String PASSWORD = "drill-admin-password";
    static final String BROKER_USER = "hub";
    static final String BROKER_PASSWORD = "drill-broker-password";
    private static final int NO_CONNECTION = -1;
    private static final int NO_ANSWER = -2;

    private final Path work;
    private final Path artemisArchive;
    private final Path hubJar;
    private final Path repository;
    private final int failoverSeconds;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path pgBin;
    private Path pgData;
    private int pgPort;
    private String jdbcUrl;

    private FailoverDrill(Path work, Path artemisArchive, Path hubJar, Path repository, int failoverSeconds) {
        this.work = work;
        this.artemisArchive = artemisArchive;
        this.hubJar = hubJar;
        this.repository = repository;
        this.failoverSeconds = failoverSeconds;
    }

    /** Args: work folder, Artemis bin archive, the hub's JAR, the repository root, [seconds of failover load]. */
    public static void main(String[] args) throws Exception {
        FailoverDrill drill = new FailoverDrill(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(),
                Path.of(args[2]).toAbsolutePath(), Path.of(args[3]).toAbsolutePath(),
                args.length > 4 ? Integer.parseInt(args[4]) : 90);
        boolean passed = false;
        try {
            passed = drill.run();
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            drill.stopEverything();
        }
        System.exit(passed ? 0 : 1);
    }

    private boolean run() throws Exception {
        Files.createDirectories(work);
        log("work folder " + work);
        startPostgres();
        Path artemisHome = unpackArtemis();
        int primaryPort = FreePort.pick();
        int backupPort = FreePort.pick();
        Broker primary = startBroker(artemisHome, "primary", primaryPort, backupPort);
        awaitLog(primary.log(), "AMQ221007", Duration.ofSeconds(90), "primary broker active");
        Broker backup = startBroker(artemisHome, "backup", backupPort, primaryPort);
        awaitLog(backup.log(), "AMQ221024", Duration.ofSeconds(90), "backup synchronized with the primary");
        log("Artemis pair up: primary :" + primaryPort + ", backup :" + backupPort);

        WireMockServer channel = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        channel.start();
        channel.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/cgi-bin/token"))
                .willReturn(json("{\"access_token\":\"DRILL_TOKEN\",\"expires_in\":7200}")));
        channel.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/cgi-bin/user/info"))
                .willReturn(json("{\"subscribe\":1,\"openid\":\"any\"}")));
        channel.stubFor(post(urlPathEqualTo("/drill-hook")).willReturn(aResponse().withStatus(200)));
        Path automation = Files.createDirectories(work.resolve("automation"));
        Files.writeString(automation.resolve("drill.yaml"), """
                rules:
                  - id: drill-count-messages
                    on: message.received
                    then:
                      - score: { name: drill_messages, add: 1 }
                  - id: drill-count-purchases
                    on: store.purchased
                    then:
                      - score: { name: drill_purchases, add: 1 }
                journeys:
                  - id: drill-follow-up
                    trigger:
                      event: customer.followed
                    steps:
                      - id: wait
                        wait: 20s
                      - id: hook
                        webhook: { target: drill, body: { step: "follow-up" } }
                """);
        Path posDrop = Files.createDirectories(work.resolve("pos-drop"));
        String brokerUrl = "(tcp://127.0.0.1:" + primaryPort + ",tcp://127.0.0.1:" + backupPort
                + ")?ha=true&reconnectAttempts=-1&retryInterval=500&retryIntervalMultiplier=1.5&maxRetryInterval=5000";
        Hub nodeA = startHub("node-a", brokerUrl, automation, posDrop, channel);
        Hub nodeB = startHub("node-b", brokerUrl, automation, posDrop, channel);
        nodeA.awaitUp(Duration.ofMinutes(10));
        nodeB.awaitUp(Duration.ofMinutes(10));
        log("two hub nodes up: " + nodeA.baseUrl + ", " + nodeB.baseUrl);

        boolean accepted = acceptance(nodeA, nodeB);
        throughput(nodeA, nodeB);
        boolean failover = failover(primary, nodeA, nodeB, posDrop, channel);

        System.out.println();
        System.out.println("== Failover drill figures ==");
        figures.forEach((key, value) -> System.out.println(key + ": " + value));
        return accepted && failover;
    }

    // ------------------------------------------------------------------------------------------ acceptance

    private boolean acceptance(Hub a, Hub b) throws Exception {
        ApiCalls apiA = new ApiCalls(a.baseUrl);
        ApiCalls apiB = new ApiCalls(b.baseUrl);
        Instant asked = Instant.now();
        ApiCalls.Reply paused = apiA.call("POST", "/api/v1/connectors/pos/instances/stores/pause", null, "admin", PASSWORD);
        boolean pausedOnB = until(Duration.ofSeconds(5), () -> state(apiB, "pos", "stores").equals("PAUSED"));
        figures.put("pause on A seen PAUSED on B after (ms)", Duration.between(asked, Instant.now()).toMillis());
        // B stops polling: a file dropped now stays in the folder while the instance is paused.
        Path drop = a.posDrop;
        dropCsv(drop, "paused.csv", List.of("P-0001,静安店,2026-11-20 09:30:15,13900000001,DRILLP01,1.00"));
        Thread.sleep(4000);
        boolean untouched = Files.exists(drop.resolve("paused.csv"));
        apiB.call("POST", "/api/v1/connectors/pos/instances/stores/resume", null, "admin", PASSWORD);
        boolean resumedOnA = until(Duration.ofSeconds(5), () -> state(apiA, "pos", "stores").equals("RUNNING"));
        boolean polledAfterResume = until(Duration.ofSeconds(30), () -> Files.exists(drop.resolve("done").resolve("paused.csv")));
        figures.put("pause over A's API: PAUSED on B within 5 s", paused.status() == 200 && pausedOnB);
        figures.put("paused instance not polled by either node for 4 s", untouched);
        figures.put("resume over B's API: RUNNING on A, file polled", resumedOnA && polledAfterResume);

        Path tmall = repository.resolve("plugins").resolve("tmall-plugin.jar");
        HttpResponse<String> uploaded = OperatorBrowser.uploadPlugin(a.baseUrl, Files.readAllBytes(tmall), "admin", PASSWORD);
        boolean startedOnB = until(Duration.ofSeconds(10), () -> {
            ApiCalls.Reply onB = apiB.call("GET", "/api/v1/plugins/tmall", null, "admin", PASSWORD);
            return onB.status() == 200 && onB.json().path("state").asText().equals("STARTED");
        });
        figures.put("plugin uploaded to A is STARTED on B", uploaded.statusCode() == 201 && startedOnB);

        OperatorBrowser browser = new OperatorBrowser();
        boolean loggedIn = browser.logIn(a.baseUrl, "admin", PASSWORD).statusCode() == 302;
        HttpResponse<String> onB = browser.send(HttpRequest.newBuilder(URI.create(b.baseUrl + "/api/v1/session")).GET().build());
        boolean sessionWorks = loggedIn && onB.statusCode() == 200 && onB.body().contains("\"user\":\"admin\"");
        figures.put("console session from A works on B", sessionWorks);
        String depth = queueDepth(b, "hub.raw");
        figures.put("hub_queue_depth{queue=\"hub.raw\"} on B, read from the primary broker", depth);
        return paused.status() == 200 && pausedOnB && untouched && resumedOnA && polledAfterResume
                && uploaded.statusCode() == 201 && startedOnB && sessionWorks;
    }

    // ------------------------------------------------------------------------------------------ throughput

    private void throughput(Hub a, Hub b) throws Exception {
        figures.put("load average of the machine before the throughput runs", loadAverage());
        int clients = 16;
        long seconds = 20;
        Load one = load(List.of(a), clients, Duration.ofSeconds(seconds), 100_000_000L, null);
        awaitApplied(one.acknowledged.keySet(), Duration.ofMinutes(3));
        figures.put("throughput, webhooks to node A only (acknowledged/s; applied/s by both nodes)",
                rate(one.acknowledged.size(), seconds) + "; " + rate(one.acknowledged.size(), one.appliedWithin(this, seconds)));
        Load two = load(List.of(a, b), clients, Duration.ofSeconds(seconds), 200_000_000L, null);
        awaitApplied(two.acknowledged.keySet(), Duration.ofMinutes(3));
        figures.put("throughput, webhooks to nodes A and B (acknowledged/s; applied/s by both nodes)",
                rate(two.acknowledged.size(), seconds) + "; " + rate(two.acknowledged.size(), two.appliedWithin(this, seconds)));
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static String rate(long count, double seconds) {
        return String.format("%.0f", count / seconds);
    }

    // ------------------------------------------------------------------------------------------ failover

    private boolean failover(Broker primary, Hub a, Hub b, Path posDrop, WireMockServer channel) throws Exception {
        // Journey enrollments whose 20 s waits fall due around the time node A is killed.
        int followers = 60;
        Set<String> followEvents = new HashSet<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < followers; i++) {
            String openid = "oDrillFollower" + String.format("%04d", i) + "_0123456789ab";
            String body = WeChatWebhookClient.subscribe(openid, now);
            if (sendPlain(i % 2 == 0 ? a : b, openid, body) == 200) {
                followEvents.add("wechat:" + APP_ID + ":" + openid + ":" + now + ":subscribe");
            }
        }
        // POS files dropped all along: one node polls them at a time, the other takes over.
        AtomicInteger rowsDropped = new AtomicInteger();
        AtomicBoolean dropping = new AtomicBoolean(true);
        Thread dropper = new Thread(() -> {
            int file = 0;
            while (dropping.get()) {
                List<String> rows = new ArrayList<>();
                for (int r = 0; r < 10; r++) {
                    int n = file * 10 + r;
                    rows.add(String.format("F-%05d,静安店,2026-11-20 10:%02d:%02d,1390000%04d,DRILLF%05d,%d.00",
                            n, (n / 60) % 60, n % 60, n % 10000, n, 1 + n % 50));
                }
                try {
                    dropCsv(posDrop, "drill-" + file + ".csv", rows);
                    rowsDropped.addAndGet(rows.size());
                    file++;
                    Thread.sleep(3000);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "pos-dropper");
        dropper.start();

        Duration length = Duration.ofSeconds(failoverSeconds);
        long killBrokerAt = failoverSeconds * 1000L / 4;
        long killHubAt = failoverSeconds * 1000L * 3 / 5;
        AtomicBoolean brokerKilled = new AtomicBoolean();
        AtomicBoolean hubKilled = new AtomicBoolean();
        Load load = load(List.of(a, b), 8, length, 300_000_000L, elapsedMillis -> {
            if (elapsedMillis >= killBrokerAt && brokerKilled.compareAndSet(false, true)) {
                log("SIGKILL primary broker (pid " + primary.process.pid() + ")");
                figures.put("primary broker SIGKILLed at (s into the load)", elapsedMillis / 1000);
                primary.process.destroyForcibly();
            }
            if (elapsedMillis >= killHubAt && hubKilled.compareAndSet(false, true)) {
                log("SIGKILL hub node A (pid " + a.process.pid() + ")");
                figures.put("hub node A SIGKILLed at (s into the load)", elapsedMillis / 1000);
                a.process.destroyForcibly();
            }
        });
        dropping.set(false);
        dropper.join();
        log("load done: " + load.acknowledged.size() + " acknowledged, not acknowledged: " + load.unacknowledged);

        Set<String> expected = new HashSet<>(load.acknowledged.keySet());
        expected.addAll(followEvents);
        boolean allApplied = awaitApplied(expected, Duration.ofMinutes(5));
        boolean polled = until(Duration.ofMinutes(3), () -> count("select count(*) from crm_order where source like '/connectors/pos/%'")
                >= rowsDropped.get() + 1);
        boolean timersFired = until(Duration.ofMinutes(3), () -> count("select count(*) from crm_timer where kind = 'journey' and fired_at is null") == 0
                && channel.findAll(postRequestedFor(urlPathEqualTo("/drill-hook"))).size() >= followEvents.size());

        String depthAfter = queueDepth(b, "hub.events");
        figures.put("hub_queue_depth{queue=\"hub.events\"} on B after the failover, read from the backup", depthAfter);
        Set<String> processed = processedEventIds();
        long lost = expected.stream().filter(id -> !processed.contains(id)).count();
        // Applied twice: a rule adds 1 to a score for every message (and every POS purchase) it applies;
        // the timeline holds each applied event once (unique by event id). More points than entries
        // means an event's effect was applied more than once.
        long appliedTwice = count("select coalesce(sum(value), 0) from crm_score where name = 'drill_messages'")
                - count("select count(*) from crm_timeline where type = 'message.received'");
        long purchasesTwice = count("select coalesce(sum(value), 0) from crm_score where name = 'drill_purchases'")
                - count("select count(*) from crm_timeline where type = 'store.purchased'");
        List<LoggedRequest> hooks = channel.findAll(postRequestedFor(urlPathEqualTo("/drill-hook")));
        Map<String, Integer> perAction = new HashMap<>();
        for (LoggedRequest hook : hooks) {
            perAction.merge(hook.getHeader("X-OmniHub-Action-Id"), 1, Integer::sum);
        }
        long timersDue = count("select count(*) from crm_timer where kind = 'journey'");
        long timersFiredOnce = count("select count(*) from crm_timer where kind = 'journey' and fired_at is not null");
        long hooksTwice = perAction.values().stream().filter(n -> n > 1).count();
        long ordersApplied = count("select count(*) from crm_order where source like '/connectors/pos/%'");

        figures.put("failover load (s, clients)", failoverSeconds + ", 8");
        figures.put("webhooks acknowledged (200)", load.acknowledged.size());
        figures.put("webhooks not acknowledged, by answer (the channel resends these)", load.unacknowledged);
        figures.put("acknowledged webhooks and follows lost", lost);
        figures.put("messages applied twice (score above applied count)", appliedTwice);
        figures.put("journey timers due / fired", timersDue + " / " + timersFiredOnce);
        figures.put("follow-up webhooks sent / sent twice", perAction.size() + " / " + hooksTwice);
        figures.put("POS rows dropped / orders applied / purchases applied twice", (rowsDropped.get() + 1) + " / " + ordersApplied + " / " + purchasesTwice);
        figures.put("longest webhook answer during the run (ms)", load.slowestMillis.get());
        return allApplied && polled && timersFired && !depthAfter.equals("NaN") && !depthAfter.isEmpty() && lost == 0 && appliedTwice == 0 && hooksTwice == 0 && purchasesTwice == 0 && ordersApplied == rowsDropped.get() + 1
                && timersDue == timersFiredOnce && perAction.size() == followEvents.size();
    }

    // ------------------------------------------------------------------------------------------ load

    /** What a load phase got back from the hubs. */
    private static final class Load {
        final Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        /** By answer: an HTTP status, "no connection" (a killed node) or "no answer in 10 s". */
        final Map<String, Integer> unacknowledged = new java.util.concurrent.ConcurrentSkipListMap<>();
        final AtomicLong slowestMillis = new AtomicLong();
        Instant started;

        /** Seconds from the start of the load until the core had applied all it acknowledged. */
        double appliedWithin(FailoverDrill drill, long minimum) {
            Instant applied = drill.lastAppliedAt(acknowledged.keySet());
            return Math.max(minimum, Duration.between(started, applied).toMillis() / 1000.0);
        }
    }

    interface Clocked {
        void at(long elapsedMillis);
    }

    private Load load(List<Hub> nodes, int clients, Duration length, long firstMsgId, Clocked events) throws InterruptedException {
        Load load = new Load();
        load.started = Instant.now();
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong(firstMsgId);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                while (System.nanoTime() - start < length.toNanos()) {
                    long msgId = next.getAndIncrement();
                    String openid = "oDrill" + String.format("%05d", msgId % 500) + "_0123456789abcdef";
                    Hub node = nodes.get((int) (msgId % nodes.size()));
                    long sent = System.nanoTime();
                    int status = sendPlain(node, openid, WeChatWebhookClient.text(openid, System.currentTimeMillis() / 1000,
                            "drill " + msgId, msgId));
                    load.slowestMillis.accumulateAndGet((System.nanoTime() - sent) / 1_000_000, Math::max);
                    if (status == 200) {
                        load.acknowledged.put("wechat:" + APP_ID + ":" + msgId, true);
                    } else {
                        String answer = status == NO_CONNECTION ? "no connection" : status == NO_ANSWER ? "no answer in 10 s" : "HTTP " + status;
                        load.unacknowledged.merge(answer, 1, Integer::sum);
                        if (status == NO_CONNECTION) {
                            sleep(200);
                        }
                    }
                }
            });
        }
        pool.shutdown();
        while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
            if (events != null) {
                events.at((System.nanoTime() - start) / 1_000_000);
            }
        }
        return load;
    }

    private int sendPlain(Hub node, String openid, String body) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(System.nanoTime());
        String query = "signature=" + SHA1.gen(TOKEN, timestamp, nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + openid;
        try {
            return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl + "/hooks/wechat/brand-oa?" + query))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
            return NO_ANSWER;
        } catch (IOException e) {
            return NO_CONNECTION;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NO_CONNECTION;
        }
    }

    private boolean awaitApplied(Set<String> eventIds, Duration timeout) throws InterruptedException {
        return until(timeout, () -> {
            Set<String> processed = processedEventIds();
            return eventIds.stream().allMatch(processed::contains);
        });
    }

    private Instant lastAppliedAt(Set<String> eventIds) {
        Instant last = Instant.EPOCH;
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var select = c.prepareStatement("select max(applied_at) from crm_processed_event where event_id = any(?)")) {
            select.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next() && rows.getTimestamp(1) != null) {
                    last = rows.getTimestamp(1).toInstant();
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return last;
    }

    private Set<String> processedEventIds() {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("select event_id from crm_processed_event")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private long count(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ processes

    private void startPostgres() throws Exception {
        Path home = work.resolve("pgsql");
        if (!Files.isDirectory(home.resolve("bin"))) {
            try (InputStream packed = FailoverDrill.class.getResourceAsStream("/postgres-linux-x86_64.txz")) {
                if (packed == null) {
                    throw new IllegalStateException("the PostgreSQL binaries (zonky's linux-amd64 artifact) are not on the class path");
                }
                unpackTxz(packed, home);
            }
        }
        pgBin = home.resolve("bin");
        pgData = work.resolve("pgdata");
        pgPort = FreePort.pick();
        run(postgresCommand("initdb", "-D", pgData.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8"),
                work.resolve("initdb.log"));
        run(postgresCommand("pg_ctl", "-D", pgData.toString(), "-w", "-l", work.resolve("postgres.log").toString(),
                "-o", "-p " + pgPort + " -c listen_addresses=127.0.0.1 -c max_connections=200 -c synchronous_commit=on",
                "start"), work.resolve("pg_ctl.log"));
        jdbcUrl = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        log("PostgreSQL server on :" + pgPort + " (" + pgData + ")");
    }

    /**
     * A PostgreSQL program; as root (PostgreSQL refuses to run as root) inside a user namespace of
     * its own, where it is not, as the embedded database does.
     */
    private List<String> postgresCommand(String program, String... args) {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(pgBin.resolve(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    private static void unpackTxz(InputStream packed, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(packed))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(target));
                        permissions.add(PosixFilePermission.OWNER_EXECUTE);
                        Files.setPosixFilePermissions(target, permissions);
                    }
                }
            }
        }
    }

    private Path unpackArtemis() throws Exception {
        Path into = work.resolve("artemis-dist");
        Files.createDirectories(into);
        run(List.of("tar", "xzf", artemisArchive.toString(), "-C", into.toString()), work.resolve("tar.log"));
        try (var homes = Files.list(into)) {
            return homes.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private record Broker(Process process, Path log) {
    }

    /** One broker of the pair, started by deploy/artemis/start-broker.sh as a deployment starts it. */
    private Broker startBroker(Path artemisHome, String role, int port, int peerPort) throws Exception {
        Path deploy = repository.resolve("deploy").resolve("artemis");
        ProcessBuilder builder = new ProcessBuilder("sh", deploy.resolve("start-broker.sh").toString());
        Map<String, String> environment = builder.environment();
        environment.put("ARTEMIS_HOME", artemisHome.toString());
        environment.put("ARTEMIS_INSTANCE", work.resolve("broker-" + role).toString());
        environment.put("OMNIHUB_BROKER_ROLE", role);
        environment.put("OMNIHUB_BROKER_USER", BROKER_USER);
        environment.put("OMNIHUB_BROKER_PASSWORD", BROKER_PASSWORD);
        environment.put("OMNIHUB_CLUSTER_USER", "omnihub-pair");
        environment.put("OMNIHUB_CLUSTER_PASSWORD", "drill-pair-password");
        environment.put("OMNIHUB_BROKER_BIND", "127.0.0.1");
        environment.put("OMNIHUB_BROKER_PORT", Integer.toString(port));
        environment.put("OMNIHUB_BROKER_ANNOUNCE", "127.0.0.1:" + port);
        environment.put("OMNIHUB_BROKER_PEER", "127.0.0.1:" + peerPort);
        environment.put("OMNIHUB_BROKER_MEMORY", "384m");
        Path log = work.resolve("broker-" + role + ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return new Broker(process, log);
    }

    private final class Hub {
        final String name;
        final String baseUrl;
        final Process process;
        final Path posDrop;

        Hub(String name, int port, Process process, Path posDrop) {
            this.name = name;
            this.baseUrl = "http://127.0.0.1:" + port;
            this.process = process;
            this.posDrop = posDrop;
        }

        void awaitUp(Duration timeout) throws InterruptedException {
            boolean up = until(timeout, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("hub " + name + " exited; see " + work.resolve(name + ".log"));
                }
                try {
                    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    return health.statusCode() == 200 && state(new ApiCalls(baseUrl), "wechat", "brand-oa").equals("RUNNING");
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            if (!up) {
                throw new IllegalStateException("hub " + name + " did not come up; see " + work.resolve(name + ".log"));
            }
        }
    }

    private Hub startHub(String name, String brokerUrl, Path automation, Path posDrop, WireMockServer channel) throws IOException {
        int port = FreePort.pick();
        Path plugins = Files.createDirectories(work.resolve(name).resolve("plugins"));
        for (String plugin : List.of("wechat", "pos")) {
            Files.copy(repository.resolve("plugins").resolve(plugin + "-plugin.jar"), plugins.resolve(plugin + "-plugin.jar"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", hubJar.toString(),
                "--server.port=" + port,
                "--hub.data-dir=" + work.resolve(name).resolve("data"),
                "--hub.plugins.dir=" + plugins,
                "--hub.cluster.node-id=" + name,
                "--hub.security.admin-password=" + PASSWORD,
                // Every node seals and opens the secrets they share in the database with one key.
                "--hub.security.sealing.key=c2hhcmVkLWNsdXN0ZXIta2V5LWZvci10ZXN0cy0zMmI=",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.artemis.mode=native",
                "--spring.artemis.broker-url=" + brokerUrl,
                "--spring.artemis.user=" + BROKER_USER,
                "--spring.artemis.password=" + BROKER_PASSWORD,
                "--hub.automation.dir=" + automation,
                "--hub.automation.timer-interval=500ms",
                "--hub.automation.outbox-interval=500ms",
                "--hub.automation.webhooks.drill.url=" + channel.baseUrl() + "/drill-hook",
                "--hub.automation.webhooks.drill.secret=drill-hook-secret",
                "--hub.connectors.wechat.brand-oa.kind=mp",
                "--hub.connectors.wechat.brand-oa.app-id=" + APP_ID,
                "--hub.connectors.wechat.brand-oa.app-secret=drill-secret",
                "--hub.connectors.wechat.brand-oa.token=" + TOKEN,
                "--hub.connectors.wechat.brand-oa.api-base-url=" + channel.baseUrl(),
                "--hub.connectors.pos.stores.source=csv-folder",
                "--hub.connectors.pos.stores.folder=" + posDrop,
                "--hub.connectors.pos.stores.brand=acme",
                "--hub.connectors.pos.stores.settle-seconds=0",
                "--hub.connectors.pos.stores.poll-interval=1s"));
        Process process = new ProcessBuilder(command).directory(work.resolve(name).toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return new Hub(name, port, process, posDrop);
    }

    private void stopEverything() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            }
        }
        if (pgBin != null) {
            try {
                run(postgresCommand("pg_ctl", "-D", pgData.toString(), "-m", "fast", "-w", "stop"),
                        work.resolve("pg_ctl.log"));
            } catch (Exception e) {
                log("could not stop PostgreSQL: " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " failed; see " + log);
        }
    }

    private static void awaitLog(Path log, String marker, Duration timeout, String what) throws InterruptedException {
        boolean seen = until(timeout, () -> {
            try {
                return Files.exists(log) && Files.readString(log).contains(marker);
            } catch (IOException | UncheckedIOException e) {
                return false;
            }
        });
        if (!seen) {
            throw new IllegalStateException("no " + what + " within " + timeout + "; see " + log);
        }
    }

    private static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private static String state(ApiCalls api, String connector, String instance) {
        try {
            ApiCalls.Reply reply = api.call("GET", "/api/v1/connectors/" + connector + "/instances/" + instance, null, "admin", PASSWORD);
            return reply.status() == 200 ? reply.json().path("state").asText() : "";
        } catch (IllegalStateException unreachable) {
            return "";
        }
    }

    /** The consumer-lag gauge a node exports for a queue, once it has a number (the gauges refresh every 5 s). */
    private String queueDepth(Hub node, String queue) throws InterruptedException {
        Pattern gauge = Pattern.compile("hub_queue_depth\\{[^}]*queue=\"" + Pattern.quote(queue) + "\"[^}]*} (\\S+)");
        String[] value = {""};
        until(Duration.ofSeconds(30), () -> {
            String metrics;
            try {
                metrics = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl + "/actuator/prometheus"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                                .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            Matcher found = gauge.matcher(metrics);
            value[0] = found.find() ? found.group(1) : "";
            return !value[0].isEmpty() && !value[0].equals("NaN");
        });
        return value[0];
    }

    private static void dropCsv(Path folder, String name, List<String> rows) throws IOException {
        Path partial = folder.resolveSibling(folder.getFileName() + "-" + name + ".part");
        Files.writeString(partial, "小票号,门店,时间,手机号,会员卡号,金额\n" + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
        Files.move(partial, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String line) {
        System.out.println("[drill " + java.time.LocalTime.now().withNano(0) + "] " + line);
    }
}
