package io.omnihub.hub.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.RawJournal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import javax.sql.DataSource;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * A 双11 burst: ten times the sustained end-to-end rate for a minute, absorbed.
 *
 * <p>Starts the hub in this JVM (run it with {@code -Xmx512m}: the heap figures are this JVM's),
 * warms it up, measures the sustained end-to-end rate with a closed-loop phase (or takes it as an
 * argument), then runs {@link OpenLoopLoad} in a process of its own to send signed WeChat pushes at
 * {@code factor} times that rate, open loop, latency measured from each request's intended send
 * time. Meanwhile it samples the heap (peak used, and the most still in use after a collection),
 * the broker's queues and whether they page, and the ingress's sends in flight. Then it waits for
 * the pipeline to drain and checks, by counting in PostgreSQL and the broker, that every
 * acknowledged push was applied exactly once and nothing was parked.
 *
 * <p>Run: {@code hub-runtime/bench/burst.sh [sustained-rate|measure] [seconds] [factor] [connections] [--hub.option=value ...]}.
 */
public final class BurstBenchmark {

    private static final int USERS = 1000;
    private static final long FIRST_BURST_MSG_ID = 6_000_000_000_000_000_000L;
    private static final long FIRST_PRE_BURST_MSG_ID = 5_000_000_000_000_000_000L;
    /** Seconds of burst before the measured one ({@code PRE_BURST} in burst.sh; 0, none, by default). */
    private static final int PRE_BURST_SECONDS = Integer.getInteger("omnihub.bench.pre-burst-seconds", 0);
    private static final Pattern RESULT = Pattern.compile("(\\w+)=([\\d.]+)");

    public static void main(String[] args) throws Exception {
        String sustainedArg = args.length > 0 ? args[0] : "measure";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        double factor = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 256;
        String[] hubArgs = args.length > 4 ? Arrays.copyOfRange(args, 4, args.length) : new String[0];
        long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();

        BenchHub hub = BenchHub.start(List.of(), hubArgs);
        DataSource db = hub.dataSource();
        ActiveMQServer broker = hub.bean(EmbeddedActiveMQ.class).getActiveMQServer();
        RawJournal journal = hub.bean(RawJournal.class);
        String hookUrl = hub.base() + hub.hookPath();

        // A burst meets a hub that has been running: warmed up until its JIT has settled, as the
        // webhook benchmark that measured the sustained rate was.
        System.out.println("warming up...");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong warmIds = new AtomicLong(8_000_000_000_000_000_000L);
        // Without wrk, the closed-loop pushes come from the JDK client.
        LongFunction<HttpRequest> push = n -> HttpRequest.newBuilder(URI.create(hookUrl)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(WebhookLoadBenchmark.textMessage(n % USERS, warmIds.incrementAndGet()),
                        StandardCharsets.UTF_8)).build();
        WebhookLoadBenchmark.warmUp(Wrk.available()
                ? () -> Wrk.run(hookUrl, WebhookLoadBenchmark.webhookScript(USERS), 32, WebhookLoadBenchmark.WARMUP_ROUND)
                : () -> WebhookLoadBenchmark.drive(http, push, 32, WebhookLoadBenchmark.WARMUP_ROUND), db);
        drained(db, broker, 0);

        double sustained;
        String sustainedHow;
        if ("measure".equals(sustainedArg)) {
            long before = WebhookLoadBenchmark.applied(db);
            long started = System.nanoTime();
            WebhookLoadBenchmark.Result closed = Wrk.available()
                    ? Wrk.run(hookUrl, WebhookLoadBenchmark.webhookScript(USERS), 32, Duration.ofSeconds(20))
                    : WebhookLoadBenchmark.drive(http, push, 32, Duration.ofSeconds(20));
            long drained = drained(db, broker, 0);
            sustained = (WebhookLoadBenchmark.applied(db) - before) / ((drained - started) / 1e9);
            sustainedHow = String.format(Locale.ROOT, "measured: 20 s closed loop, 32 connections, %.0f req/s at ingress, "
                    + "applied end to end until drained", closed.perSecond());
        } else {
            sustained = Double.parseDouble(sustainedArg);
            sustainedHow = "given";
        }
        double rate = sustained * factor;
        System.out.printf(Locale.ROOT, "sustained end to end: %.0f events/s (%s); burst: %.0f req/s for %d s%n",
                sustained, sustainedHow, rate, seconds);
        if (PRE_BURST_SECONDS > 0) {
            // A hub that has met a burst before: the paths a burst opens (paging, above all) are
            // compiled already. Its pushes are applied before the measured burst begins.
            System.out.printf(Locale.ROOT, "pre-burst: %.0f req/s for %d s, then the drain%n", rate, PRE_BURST_SECONDS);
            runGenerator(hub.port(), hub.hookPath(), rate, PRE_BURST_SECONDS, connections, FIRST_PRE_BURST_MSG_ID);
            drained(db, broker, 0);
        }

        Counts before = Counts.of(db, broker);
        HeapWatch heap = new HeapWatch();
        Sampler sampler = new Sampler(broker, journal);
        sampler.start();
        double[] load = loadAverage();
        long burstStarted = System.nanoTime();
        Map<String, Double> result = runGenerator(hub.port(), hub.hookPath(), rate, seconds, connections, FIRST_BURST_MSG_ID);
        long burstEnded = System.nanoTime();
        Sampler.Peaks duringBurst = sampler.peaks();
        long appliedDuringBurst = WebhookLoadBenchmark.applied(db) - before.applied;
        long heapAfterGcDuringBurst = heap.maxAfterGc();
        double[] loadAfter = loadAverage();

        long ok = result.get("ok").longValue();
        long drainedAt = drained(db, broker, before.applied + ok);
        Sampler.Peaks overall = sampler.peaks();
        sampler.stop();
        Counts after = Counts.of(db, broker);

        long applied = after.applied - before.applied;
        long timeline = after.timeline - before.timeline;
        long refused = result.get("non2xx").longValue() + result.get("errors").longValue();
        long lost = Math.max(0, ok - applied);
        boolean exact = refused == 0 ? applied == ok : applied >= ok && applied <= ok + refused;

        System.out.println();
        System.out.printf(Locale.ROOT, "load average before/after the burst: %.2f %.2f %.2f / %.2f %.2f %.2f (%d cores)%n",
                load[0], load[1], load[2], loadAfter[0], loadAfter[1], loadAfter[2], Runtime.getRuntime().availableProcessors());
        System.out.println();
        System.out.println("| figure | value |");
        System.out.println("|---|---|");
        row("sustained end to end (events/s)", String.format(Locale.ROOT, "%.0f (%s)", sustained, sustainedHow));
        row("burst scheduled (req/s, open loop)", String.format(Locale.ROOT, "%.0f = %.1f × sustained for %d s, %d connections",
                rate, factor, seconds, connections));
        if (PRE_BURST_SECONDS > 0) {
            row("before it", String.format(Locale.ROOT, "a burst of %d s at the same rate, drained", PRE_BURST_SECONDS));
        }
        row("burst taken (req/s: sent over the time it took to send them)", String.format(Locale.ROOT, "%.0f over %.0f s",
                result.get("sent") / result.get("seconds"), result.get("seconds")));
        row("webhooks sent / acknowledged 2xx", String.format(Locale.ROOT, "%d / %d", result.get("sent").longValue(), ok));
        row("non-2xx / connection errors", String.format(Locale.ROOT, "%d / %d", result.get("non2xx").longValue(),
                result.get("errors").longValue()));
        row("latency from intended send p50 / p99 / p99.9 / max (ms)", String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f",
                result.get("p50"), result.get("p99"), result.get("p999"), result.get("max")));
        row("generator's worst lag behind schedule (ms)", String.format(Locale.ROOT, "%.1f", result.get("maxLagMs")));
        row("applied during burst / after it", String.format(Locale.ROOT, "%d / %d", appliedDuringBurst,
                applied - appliedDuringBurst));
        row("drain after the burst (s)", String.format(Locale.ROOT, "%.1f", (drainedAt - burstEnded) / 1e9));
        row("end to end over burst + drain (events/s)", String.format(Locale.ROOT, "%.0f", applied / ((drainedAt - burstStarted) / 1e9)));
        row("backlog peak hub.raw / hub.enrich / hub.events (messages)", String.format(Locale.ROOT, "%d / %d / %d",
                overall.raw, overall.enrich, overall.events));
        row("hub.raw paged to disk", overall.rawPaged ? String.format(Locale.ROOT, "yes (address peak %.0f MiB)",
                mib(overall.rawAddressBytes)) : "no");
        row("ingress sends in flight, peak", Long.toString(overall.inFlight));
        row("heap: max / peak used / peak after GC, burst (MiB)", String.format(Locale.ROOT, "%.0f / %.0f / %.0f",
                mib(maxHeap), mib(duringBurst.heapUsed), mib(heapAfterGcDuringBurst)));
        row("heap: peak used / peak after GC, burst + drain (MiB)", String.format(Locale.ROOT, "%.0f / %.0f",
                mib(overall.heapUsed), mib(heap.maxAfterGc())));
        row("GC", heap.collectors());
        row("applied (crm_processed_event) / timeline rows, new", String.format(Locale.ROOT, "%d / %d", applied, timeline));
        row("profiles (crm_customer) before / after", String.format(Locale.ROOT, "%d / %d", before.customers, after.customers));
        row("lost (acknowledged, never applied)", Long.toString(lost));
        row("parked (hub.dlq)", Long.toString(after.dlq));
        System.out.println();
        boolean pass = lost == 0 && exact && timeline == applied && after.dlq == 0 && after.customers == USERS
                && refused == 0 && result.get("p99") < 200;
        System.out.printf("%s: every acknowledged push applied exactly once: %s; nothing parked: %s; all acknowledged: %s; "
                        + "p99 < 200 ms: %s%n", pass ? "PASS" : "FAIL", exact && lost == 0 && timeline == applied,
                after.dlq == 0, refused == 0, result.get("p99") < 200);
        hub.close();
        System.exit(pass ? 0 : 1);
    }

    /**
     * Waits until the stages' queues are empty, at least {@code atLeast} events are applied and the
     * count has held for three seconds (a push the hub answered 503 but had kept lands too); returns
     * the nano time the last event was applied.
     */
    private static long drained(DataSource db, ActiveMQServer broker, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long last = -1;
        long lastGrowth = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Counts now = Counts.of(db, broker);
            if (now.applied != last) {
                last = now.applied;
                lastGrowth = System.nanoTime();
            } else if (now.queued() == 0 && now.applied >= atLeast && System.nanoTime() - lastGrowth > 3_000_000_000L) {
                return lastGrowth;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the pipeline did not drain within 30 minutes: " + Counts.of(db, broker));
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static void row(String name, String value) {
        System.out.println("| " + name + " | " + value + " |");
    }

    private static Map<String, Double> runGenerator(int port, String path, double rate, int seconds, int connections,
                                                    long firstMsgId) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process generator = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                OpenLoopLoad.class.getName(), Integer.toString(port), path, String.format(Locale.ROOT, "%.1f", rate),
                Integer.toString(seconds), Integer.toString(connections), Integer.toString(USERS),
                Long.toString(firstMsgId)).redirectErrorStream(true).start();
        Map<String, Double> result = new HashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(generator.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println("  generator: " + line);
                if (line.startsWith("RESULT ")) {
                    Matcher pair = RESULT.matcher(line);
                    while (pair.find()) {
                        result.put(pair.group(1), Double.parseDouble(pair.group(2)));
                    }
                }
            }
        }
        if (generator.waitFor() != 0 || result.isEmpty()) {
            throw new IllegalStateException("the load generator failed (exit " + generator.exitValue() + ")");
        }
        return result;
    }

    private static double[] loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
        } catch (Exception e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new double[] {one, one, one};
        }
    }

    /** What the database and the broker hold. */
    record Counts(long applied, long timeline, long customers, long raw, long enrich, long events, long dlq) {

        static Counts of(DataSource db, ActiveMQServer broker) throws Exception {
            try (var connection = db.getConnection(); var statement = connection.createStatement();
                 var rows = statement.executeQuery("select (select count(*) from crm_processed_event),"
                         + " (select count(*) from crm_timeline), (select count(*) from crm_customer)")) {
                rows.next();
                return new Counts(rows.getLong(1), rows.getLong(2), rows.getLong(3), depth(broker, Queues.RAW),
                        depth(broker, Queues.ENRICH), depth(broker, Queues.EVENTS), depth(broker, Queues.DLQ));
            }
        }

        long queued() {
            return raw + enrich + events;
        }
    }

    static long depth(ActiveMQServer broker, String name) {
        Queue queue = broker.locateQueue(SimpleString.of(name));
        return queue == null ? 0 : queue.getMessageCount();
    }

    /** The heap: its peak use, sampled, and the most a collection left in use, from GC notifications. */
    static final class HeapWatch {
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        private final Map<String, AtomicLong> collections = new HashMap<>();

        HeapWatch() {
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                AtomicLong count = new AtomicLong();
                collections.put(collector.getName(), count);
                ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                            (CompositeData) notification.getUserData());
                    count.incrementAndGet();
                    long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(pool -> heapPools.contains(pool.getKey()))
                            .mapToLong(pool -> pool.getValue().getUsed()).sum();
                    maxAfterGc.accumulateAndGet(used, Math::max);
                }, null, null);
            }
        }

        long maxAfterGc() {
            return maxAfterGc.get();
        }

        String collectors() {
            List<String> parts = new ArrayList<>();
            collections.forEach((name, count) -> parts.add(name + " ×" + count.get()));
            return String.join(", ", parts);
        }
    }

    /** Samples the heap, the queues and the ingress every 100 ms, keeping the peaks. */
    static final class Sampler implements Runnable {
        private final ActiveMQServer broker;
        private final RawJournal journal;
        private final Thread thread = new Thread(this, "burst-sampler");
        private final Peaks peaks = new Peaks();
        private volatile boolean running = true;

        Sampler(ActiveMQServer broker, RawJournal journal) {
            this.broker = broker;
            this.journal = journal;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        synchronized Peaks peaks() {
            return peaks.copy();
        }

        @Override
        public void run() {
            while (running) {
                long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                long raw = depth(broker, Queues.RAW);
                long enrich = depth(broker, Queues.ENRICH);
                long events = depth(broker, Queues.EVENTS);
                PagingStore store = pagingStore(Queues.RAW);
                synchronized (this) {
                    peaks.heapUsed = Math.max(peaks.heapUsed, heapUsed);
                    peaks.raw = Math.max(peaks.raw, raw);
                    peaks.enrich = Math.max(peaks.enrich, enrich);
                    peaks.events = Math.max(peaks.events, events);
                    peaks.inFlight = Math.max(peaks.inFlight, journal.inFlight());
                    if (store != null) {
                        peaks.rawPaged |= store.isPaging();
                        peaks.rawAddressBytes = Math.max(peaks.rawAddressBytes, store.getAddressSize());
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private PagingStore pagingStore(String address) {
            try {
                return broker.getPagingManager().getPageStore(SimpleString.of(address));
            } catch (Exception e) {
                return null;
            }
        }

        /** The peaks seen so far. */
        static final class Peaks {
            long heapUsed;
            long raw;
            long enrich;
            long events;
            long inFlight;
            boolean rawPaged;
            long rawAddressBytes;

            Peaks copy() {
                Peaks copy = new Peaks();
                copy.heapUsed = heapUsed;
                copy.raw = raw;
                copy.enrich = enrich;
                copy.events = events;
                copy.inFlight = inFlight;
                copy.rawPaged = rawPaged;
                copy.rawAddressBytes = rawAddressBytes;
                return copy;
            }
        }
    }
}
