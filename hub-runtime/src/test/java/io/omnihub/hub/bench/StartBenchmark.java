package io.omnihub.hub.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Start and footprint of the packaged hub, each run its own process exactly as the README starts it:
 * the launcher the build lays out ({@code hub-runtime/target/omnihub/omnihub}, which starts the
 * extracted JAR with the build's class data sharing archive) in a folder holding {@code plugins/},
 * with embedded PostgreSQL and Artemis under {@code ./data}; and, for comparison, the single JAR
 * ({@code java -jar omnihub.jar}) the same way.
 *
 * <ol>
 *   <li><b>Start to healthy</b>: from launching the JVM until {@code /actuator/health} answers 200
 *       ({@code UP}; the hub reports {@code OUT_OF_SERVICE} until it can take and persist a webhook),
 *       first on a new data folder (which creates the database, the broker journal, the sealing key
 *       and the admin password), then again on the same folder (a restart).</li>
 *   <li><b>Heap at steady load</b>: the hub restarted with {@code -Xmx512m} and a WeChat instance
 *       (WireMock as the WeChat API), driven by wrk with signed text-message webhooks for a while and
 *       then left to drain; its GC log gives the heap after each collection, of which the benchmark
 *       prints the peak, and its output is checked for an {@code OutOfMemoryError}.</li>
 * </ol>
 *
 * <p>Run: {@code hub-runtime/bench/start.sh [rounds] [load-seconds] [clients]}.
 */
public final class StartBenchmark {

    private static final String TOKEN = "bench-token";
    private static final long HEAP_LIMIT_MB = 512;
    private static final Pattern GC_PAUSE = Pattern.compile("GC\\(\\d+\\) (Pause [^\\d]*?)\\s*(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("omnihub.bench.jar")).toAbsolutePath();
        Path launcher = Path.of(System.getProperty("omnihub.bench.launcher")).toAbsolutePath();
        Path pluginSource = Path.of(System.getProperty("omnihub.bench.plugins")).toAbsolutePath();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int loadSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        String javaHome = System.getProperty("java.home");

        // -Xshare:on: a class data sharing archive the JVM cannot use fails the start instead of being skipped.
        HubCommand readme = HubCommand.launcher(launcher, javaHome, List.of("-Xshare:on"));
        HubCommand singleJar = HubCommand.singleJar(javaHome, jar);
        Path lastFolder = startRounds(readme, rounds, pluginSource, "start to healthy");
        startRounds(singleJar, rounds, pluginSource, "single JAR, start to healthy");

        if (loadSeconds > 0) {
            heapAtSteadyLoad(readme, lastFolder, loadSeconds, clients);
        }
        System.exit(0);
    }

    /** How the hub is started: the README's launcher (JVM from JAVA_HOME, options from JAVA_OPTS) or {@code java -jar}. */
    record HubCommand(String description, Path executable, Path jar, String javaHome, List<String> jvmArgs) {

        static HubCommand launcher(Path launcher, String javaHome, List<String> jvmArgs) {
            return new HubCommand(launcher.toString(), launcher, null, javaHome, jvmArgs);
        }

        static HubCommand singleJar(String javaHome, Path jar) {
            return new HubCommand("java -jar " + jar, Path.of(javaHome, "bin", "java"), jar, javaHome, List.of());
        }

        ProcessBuilder process(List<String> moreJvmArgs, List<String> hubArgs) {
            List<String> options = new ArrayList<>(jvmArgs);
            options.addAll(moreJvmArgs);
            List<String> command = new ArrayList<>(List.of(executable.toString()));
            ProcessBuilder process = new ProcessBuilder(command);
            if (jar == null) {
                // This benchmark's JDK, which is the build's: the class data sharing archive belongs to it.
                process.environment().put("JAVA_HOME", javaHome);
                process.environment().put("JAVA_OPTS", String.join(" ", options));
            } else {
                command.addAll(options);
                command.addAll(List.of("-jar", jar.toString()));
            }
            command.addAll(hubArgs);
            return process.command(command);
        }
    }

    /** {@code rounds} times a first start on a new folder and a restart on it; prints each and the medians. */
    static Path startRounds(HubCommand hubCommand, int rounds, Path pluginSource, String label) throws Exception {
        System.out.printf("%s: %s%n", label, hubCommand.description());
        List<Double> firstStarts = new ArrayList<>();
        List<Double> restarts = new ArrayList<>();
        Path lastFolder = null;
        for (int round = 1; round <= rounds; round++) {
            Path folder = ScratchFolder.create("omnihub-start");
            Path plugins = Files.createDirectories(folder.resolve("plugins"));
            try (Stream<Path> jars = Files.list(pluginSource)) {
                for (Path plugin : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.copy(plugin, plugins.resolve(plugin.getFileName()));
                }
            }
            Start first = startToHealthy(hubCommand, folder, "first");
            Start restart = startToHealthy(hubCommand, folder, "restart");
            System.out.printf("round %d: first start %.1f s (hub JVM %.1f s of CPU), restart %.1f s (%.1f s of CPU); load average %s%n",
                    round, first.seconds(), first.cpuSeconds(), restart.seconds(), restart.cpuSeconds(), loadAverage());
            System.out.printf("  first start, seconds after launch: %s, %.1f healthy%n", first.milestones(), first.seconds());
            System.out.printf("  restart, seconds after launch: %s, %.1f healthy%n", restart.milestones(), restart.seconds());
            firstStarts.add(first.seconds());
            restarts.add(restart.seconds());
            lastFolder = folder;
        }
        System.out.printf("%s: first start %.1f s, restart %.1f s (median of %d; %d cores, load average %s)%n",
                label, median(firstStarts), median(restarts), rounds, Runtime.getRuntime().availableProcessors(), loadAverage());
        return lastFolder;
    }

    /** Seconds from launch to healthy, and the CPU seconds the hub's JVM spent meanwhile (PostgreSQL's own not counted). */
    record Start(double seconds, double cpuSeconds, String milestones) {
    }

    /** Log lines that mark a step of the start, with the name the breakdown gives them. */
    private static final Map<String, String> MILESTONES = milestones();

    private static Map<String, String> milestones() {
        Map<String, String> milestones = new LinkedHashMap<>();
        milestones.put("Starting HubApplication", "JVM up, configuration read");
        milestones.put("Embedded PostgreSQL serving", "PostgreSQL accepting connections");
        milestones.put("Tomcat initialized", "configuration classes parsed");
        milestones.put("migrations to schema", "migrations applied");
        milestones.put("Schema \"public\" is up to date", "migrations checked");
        milestones.put("AMQ221007", "Artemis active");
        milestones.put("started from", "first plugin started");
        milestones.put("Apache Camel", "Camel starting");
        milestones.put("Started HubApplication", "application started");
        return milestones;
    }

    private static final Pattern LOG_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)\\s");

    /** When each milestone was first logged, in seconds after {@code launched}. */
    static String milestones(Path log, Instant launched) throws IOException {
        Map<String, Double> seen = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher time = LOG_LINE.matcher(line);
            if (!time.find()) {
                continue;
            }
            for (Map.Entry<String, String> milestone : MILESTONES.entrySet()) {
                // The first time each is logged, but the last migration run (the runtime's after the CRM core's).
                if (line.contains(milestone.getKey()) && (!seen.containsKey(milestone.getValue()) || milestone.getValue().startsWith("migrations"))) {
                    seen.put(milestone.getValue(), Duration.between(launched, Instant.parse(time.group(1))).toMillis() / 1e3);
                }
            }
        }
        return seen.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(e -> String.format("%.1f %s", e.getValue(), e.getKey())).collect(Collectors.joining(", "));
    }

    /** Launches the hub in {@code folder} with embedded defaults, waits until it reports healthy, then stops it. */
    static Start startToHealthy(HubCommand hubCommand, Path folder, String name) throws Exception {
        int port = FreePort.pick();
        Instant launched = Instant.now();
        Process hub = launch(hubCommand, folder, name, List.of(), port, List.of());
        double seconds;
        double cpu;
        try {
            seconds = awaitHealthy(hub, port, folder.resolve(name + ".log"));
            cpu = hub.info().totalCpuDuration().map(d -> d.toMillis() / 1e3).orElse(Double.NaN);
        } finally {
            stop(hub);
        }
        return new Start(seconds, cpu, milestones(folder.resolve(name + ".log"), launched));
    }

    static Process launch(HubCommand hubCommand, Path folder, String name, List<String> jvmArgs, int port, List<String> hubArgs)
            throws IOException {
        List<String> arguments = new ArrayList<>();
        arguments.add("--server.port=" + port);
        arguments.addAll(hubArgs);
        return hubCommand.process(jvmArgs, arguments).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(folder.resolve(name + ".log").toFile()).start();
    }

    static double awaitHealthy(Process hub, int port, Path log) throws Exception {
        long launched = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = launched + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub exited with " + hub.exitValue() + " before it was healthy; see " + log);
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"")) {
                    return (System.nanoTime() - launched) / 1e9;
                }
            } catch (ConnectException | HttpTimeoutException notYetAnswering) {
                // the web server is not up yet, or too busy starting to answer in time
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the hub was not healthy within 3 minutes; see " + log);
    }

    static void stop(Process hub) throws InterruptedException {
        hub.destroy();
        if (!hub.waitFor(60, TimeUnit.SECONDS)) {
            hub.destroyForcibly().waitFor();
        }
    }

    /** The hub with -Xmx512m under wrk's webhooks, then drained; prints throughput and the GC log's peaks. */
    static void heapAtSteadyLoad(HubCommand hubCommand, Path folder, int seconds, int clients) throws Exception {
        WireMockServer wechatApi = BenchHub.wechatApi();
        int port = FreePort.pick();
        int databasePort = FreePort.pick();
        Path gcLog = folder.resolve("gc.log");
        List<String> jvmArgs = List.of("-Xmx" + HEAP_LIMIT_MB + "m", "-Xlog:gc:file=" + gcLog);
        List<String> hubArgs = List.of(
                "--hub.embedded-database.port=" + databasePort,
                "--hub.connectors.wechat.bench.kind=mp",
                "--hub.connectors.wechat.bench.app-id=wxbench000000000001",
                "--hub.connectors.wechat.bench.app-secret=bench-secret",
                "--hub.connectors.wechat.bench.token=" + TOKEN,
                "--hub.connectors.wechat.bench.timestamp-tolerance=0",
                "--hub.connectors.wechat.bench.api-base-url=" + wechatApi.baseUrl(),
                "--logging.level.root=WARN");
        Path log = folder.resolve("load.log");
        Process hub = launch(hubCommand, folder, "load", jvmArgs, port, hubArgs);
        try {
            awaitHealthy(hub, port, log);
            String base = "http://localhost:" + port;
            WebhookLoadBenchmark.waitForInstance(base);
            PGSimpleDataSource database = new PGSimpleDataSource();
            database.setUrl("jdbc:postgresql://localhost:" + databasePort + "/postgres");
            database.setUser("postgres");
            database.setPassword(Files.readString(folder.resolve("data/postgres.password")).strip());
            long appliedBefore = WebhookLoadBenchmark.applied(database);
            String timestamp = "1700000000";
            String hookUrl = base + "/hooks/wechat/bench?signature=" + WebhookLoadBenchmark.sha1Sorted(TOKEN, timestamp, "bench")
                    + "&timestamp=" + timestamp + "&nonce=bench";
            if (!Wrk.available()) {
                throw new IllegalStateException("wrk is not installed (apt-get install wrk)");
            }
            System.out.printf("steady load: %d s of WeChat webhooks from wrk, %d connections, hub at -Xmx%dm...%n",
                    seconds, clients, HEAP_LIMIT_MB);
            long started = System.nanoTime();
            WebhookLoadBenchmark.Result load = Wrk.run(hookUrl, WebhookLoadBenchmark.webhookScript(WebhookLoadBenchmark.followers()), clients,
                    Duration.ofSeconds(seconds));
            long appliedAt = WebhookLoadBenchmark.waitForDrain(database, Duration.ofMinutes(10));
            long applied = WebhookLoadBenchmark.applied(database) - appliedBefore;
            boolean alive = hub.isAlive();
            stop(hub);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            boolean outOfMemory = output.contains("OutOfMemoryError");
            long peakAfter = 0;
            long peakBefore = 0;
            long peakCommitted = 0;
            int collections = 0;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher pause = GC_PAUSE.matcher(line);
                if (pause.find()) {
                    collections++;
                    peakBefore = Math.max(peakBefore, Long.parseLong(pause.group(2)));
                    peakAfter = Math.max(peakAfter, Long.parseLong(pause.group(3)));
                    peakCommitted = Math.max(peakCommitted, Long.parseLong(pause.group(4)));
                }
            }
            System.out.printf("webhooks: %d in %.0f s = %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors%n", load.requests(),
                    load.seconds(), load.perSecond(), load.p50Millis(), load.p99Millis(), load.errors());
            System.out.printf("events applied: %d in %.1f s (%.0f/s)%n", applied, (appliedAt - started) / 1e9,
                    applied / ((appliedAt - started) / 1e9));
            System.out.printf("heap at steady load: peak after GC %d MB, peak before GC %d MB, committed at most %d MB, limit %d MB; "
                            + "%d collections; OutOfMemoryError: %s; hub alive at the end: %s (load average %s)%n",
                    peakAfter, peakBefore, peakCommitted, HEAP_LIMIT_MB, collections, outOfMemory ? "yes" : "none", alive ? "yes" : "no",
                    loadAverage());
            System.out.println(peakAfter <= HEAP_LIMIT_MB && !outOfMemory && alive
                    ? "footprint: within " + HEAP_LIMIT_MB + " MB" : "footprint: NOT within " + HEAP_LIMIT_MB + " MB, see " + folder);
            if (load.errors() > 0) {
                System.out.println("wrk counted " + load.errors() + " errors (non-2xx answers or timeouts after 2 s), see " + log);
            }
        } finally {
            stop(hub);
            wechatApi.stop();
        }
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }
}
