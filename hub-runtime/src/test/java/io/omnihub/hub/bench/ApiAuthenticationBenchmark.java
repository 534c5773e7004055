package io.omnihub.hub.bench;

import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one API lookup costs in CPU with an API token and with HTTP Basic (DESIGN §8: "machine
 * clients use API tokens: no password hashing per request").
 *
 * <p>Starts the hub's JAR ({@code hub-runtime/target/omnihub.jar}) as a process of its own with its
 * defaults (embedded PostgreSQL and Artemis), puts one customer in through {@code POST /api/v1/events},
 * creates a viewer token, warms both paths up, then looks the customer up by phone
 * ({@code GET /api/v1/customers?identity=phone:...}) one request after the other: {@code basic} times
 * with Basic credentials and {@code token} times with the token, each phase three times, and reports
 * the median. The CPU counted is the hub process's (request threads, JIT, GC, everything) plus the
 * embedded PostgreSQL server's processes; the client's is not.
 *
 * <p>Run: {@code hub-runtime/bench/api-auth.sh [basic-lookups] [token-lookups]} (50 and 1000 by default);
 * {@code -Domnihub.bench.jfr=<file>} records the hub process with Java Flight Recorder.
 */
public final class ApiAuthenticationBenchmark {

    private static final String PASSWORD = "bench-admin-password";
    private static final String PHONE = "+8613900001111";

    public static void main(String[] args) throws Exception {
        int basicLookups = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int tokenLookups = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path jar = Path.of(System.getProperty("omnihub.bench.jar", "target/omnihub.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -DskipTests install");
        }
        Path work = ScratchFolder.create("omnihub-auth-bench");
        Files.createDirectories(work.resolve("plugins"));
        int port = FreePort.pick();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String recording = System.getProperty("omnihub.bench.jfr");
        if (recording != null) {
            command.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
        }
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--hub.data-dir=" + work.resolve("data"), "--hub.plugins.dir=" + work.resolve("plugins"),
                "--hub.automation.dir=" + work.resolve("automation"), "--hub.security.admin-password=" + PASSWORD,
                "--logging.level.root=WARN"));
        Process hub = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("hub.log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(hub::destroy));
        String base = "http://localhost:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        awaitUp(http, base, hub);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

        send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).header("Authorization", basic)
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(customerEvent())), 202);
        String lookup = base + "/api/v1/customers?identity=" + URLEncoder.encode("phone:" + PHONE, StandardCharsets.UTF_8);
        Instant deadline = Instant.now().plusSeconds(60);
        while (http.send(get(lookup, basic), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the customer was not applied within 60 s");
            }
            Thread.sleep(100);
        }
        String created = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens")).header("Authorization", basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"benchmark\",\"role\":\"viewer\"}")), 201);
        Matcher secret = Pattern.compile("\"token\":\"(ohk_[^\"]+)\"").matcher(created);
        if (!secret.find()) {
            throw new IllegalStateException("no token in " + created);
        }
        String bearer = "Bearer " + secret.group(1);
        Path postmasterPid = work.resolve("data").resolve("postgres").resolve("postmaster.pid");

        System.out.println("warming up...");
        lookups(http, lookup, basic, 50);
        lookups(http, lookup, bearer, 15_000);

        List<Phase> basicRuns = new ArrayList<>();
        List<Phase> tokenRuns = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            basicRuns.add(measure(http, lookup, basic, basicLookups, hub.toHandle(), postmasterPid));
            tokenRuns.add(measure(http, lookup, bearer, tokenLookups, hub.toHandle(), postmasterPid));
        }
        Phase basicMedian = median(basicRuns);
        Phase tokenMedian = median(tokenRuns);
        System.out.println();
        System.out.println("| credentials | lookups | CPU, hub JVM (ms) | CPU, PostgreSQL (ms) | CPU, total (ms) | CPU per lookup (ms) | wall (ms) |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.println(basicMedian.row("HTTP Basic (bcrypt)"));
        System.out.println(tokenMedian.row("API token (SHA-256)"));
        System.out.printf("%nruns: basic %s; token %s%n", basicRuns.stream().map(p -> p.totalMillis() + " ms").toList(),
                tokenRuns.stream().map(p -> p.totalMillis() + " ms").toList());
        System.out.printf("%d token lookups took %.2f times the CPU of %d Basic lookups; one token lookup costs %.1f%% of a Basic one%n",
                tokenLookups, (double) tokenMedian.totalMillis() / basicMedian.totalMillis(), basicLookups,
                100.0 * tokenMedian.perLookupMillis() / basicMedian.perLookupMillis());
        hub.destroy();
        hub.waitFor();
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        System.exit(0);
    }

    record Phase(int lookups, long jvmMillis, long postgresMillis, long wallMillis) {
        long totalMillis() {
            return jvmMillis + postgresMillis;
        }

        double perLookupMillis() {
            return (double) totalMillis() / lookups;
        }

        String row(String name) {
            return String.format("| %s | %d | %d | %d | %d | %.2f | %d |", name, lookups, jvmMillis, postgresMillis, totalMillis(),
                    perLookupMillis(), wallMillis);
        }
    }

    private static Phase measure(HttpClient http, String lookup, String authorization, int lookups, ProcessHandle hub, Path postmasterPid)
            throws IOException, InterruptedException {
        long jvmBefore = cpu(hub);
        long postgresBefore = postgresCpuNanos(postmasterPid);
        long wallBefore = System.nanoTime();
        lookups(http, lookup, authorization, lookups);
        long wall = System.nanoTime() - wallBefore;
        return new Phase(lookups, (cpu(hub) - jvmBefore) / 1_000_000, (postgresCpuNanos(postmasterPid) - postgresBefore) / 1_000_000,
                wall / 1_000_000);
    }

    private static void awaitUp(HttpClient http, String base, Process hub) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub exited with " + hub.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the hub did not report UP within 180 s");
    }

    private static void lookups(HttpClient http, String lookup, String authorization, int count) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            HttpResponse<Void> answer = http.send(get(lookup, authorization), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("lookup answered " + answer.statusCode());
            }
        }
    }

    private static HttpRequest get(String url, String authorization) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).header("Accept", "application/json").build();
    }

    private static String send(HttpClient http, HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    /** The postmaster's and its backends' CPU time (the hub's pooled connections keep their backends alive). */
    private static long postgresCpuNanos(Path postmasterPid) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim());
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        if (postmaster.isEmpty()) {
            throw new IllegalStateException("PostgreSQL (pid " + pid + ") is not running");
        }
        long nanos = cpu(postmaster.get());
        for (ProcessHandle child : postmaster.get().descendants().toList()) {
            nanos += cpu(child);
        }
        return nanos;
    }

    private static long cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static Phase median(List<Phase> runs) {
        List<Phase> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingLong(Phase::totalMillis));
        return sorted.get(sorted.size() / 2);
    }

    private static String customerEvent() {
        String now = Instant.now().toString();
        return """
                {"specversion":"1.0","id":"bench:customer-1","source":"/connectors/bench/api","type":"profile.updated",
                 "time":"%1$s","datacontenttype":"application/json",
                 "data":{"receivedAt":"%1$s","identities":[{"type":"phone","value":"%2$s"}],"attributes":{"name":"Bench Customer"}}}
                """.formatted(now, PHONE);
    }
}
