package io.omnihub.hub.bench;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.hub.HubApplication;
import io.omnihub.routes.event.CanonicalEventCodec;
import io.omnihub.testsupport.population.Observation;
import io.omnihub.testsupport.population.PairwiseScore;
import io.omnihub.testsupport.population.Population;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Identity resolution measured on the running hub: a synthetic retail population (gifts, households,
 * store landlines and a manager's mobile typed for walk-ins, test numbers, shared tablets, declined
 * consent; see {@link Population}) of a seed the tests never use goes through
 * {@code POST /api/v1/events} in the order the channels would deliver it, the pipeline applies it,
 * and the profiles are scored pair by pair against the real people. The only identity configuration
 * is the national test number, blocked. Prints precision, recall, the largest profile and how many
 * people who declined cross-channel linking span two platforms.
 *
 * <p>Run: {@code hub-runtime/bench/population.sh [seed] [people]} (defaults 20261206 and 5000).
 */
public final class PopulationBenchmark {

    private static final int PER_REQUEST = 200;

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20261206L;
        int people = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        List<Observation> population = Population.generate(seed, people);

        Path work = ScratchFolder.create("omnihub-population");
        Files.createDirectories(work.resolve("plugins"));
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class)
                .run("--server.port=0",
                        "--hub.data-dir=" + work.resolve("data"),
                        "--hub.plugins.dir=" + work.resolve("plugins"),
                        "--hub.security.admin-password=bench",
                        "--hub.identity.blocked-values.phone=" + Population.TEST_NUMBER,
                        "--logging.level.root=WARN");
        String base = "http://localhost:" + hub.getEnvironment().getProperty("local.server.port");
        DataSource db = hub.getBean(DataSource.class);
        CanonicalEventCodec codec = new CanonicalEventCodec();
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString("admin:bench".getBytes(StandardCharsets.UTF_8));

        long started = System.nanoTime();
        List<CustomerEvent> events = population.stream().map(Observation::event).toList();
        for (int i = 0; i < events.size(); i += PER_REQUEST) {
            List<String> batch = new ArrayList<>();
            for (CustomerEvent e : events.subList(i, Math.min(events.size(), i + PER_REQUEST))) {
                batch.add(new String(codec.encode(e), StandardCharsets.UTF_8));
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                    .header("Authorization", auth).header("Content-Type", "application/cloudevents-batch+json")
                    .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", batch) + "]")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IllegalStateException("the hub answered " + r.statusCode() + ": " + r.body());
            }
        }
        long posted = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (applied(db) < events.size() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        long drained = System.nanoTime();
        long applied = applied(db);

        PairwiseScore score = PairwiseScore.of(population, profiles(db));
        System.out.printf("%npopulation of seed %d through POST /api/v1/events: %d people, %d events (%d scored observations)%n",
                seed, people, events.size(), population.stream().filter(Observation::scored).count());
        System.out.printf("posted in %.1f s, applied %d events in %.1f s (%.0f events/s end to end)%n",
                (posted - started) / 1e9, applied, (drained - started) / 1e9, applied / ((drained - started) / 1e9));
        System.out.println("| precision | recall | recall against every own identifier | profiles | largest profile | declined spanning platforms |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf("| %.4f | %.4f | %.4f | %d | %d | %d |%n", score.precision(), score.recall(), score.recallOfOwnIdentifiers(),
                score.profiles(), score.largestProfile(), score.declinedSpanning());
        hub.close();
        System.exit(applied == events.size() ? 0 : 1);
    }

    private static long applied(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from crm_processed_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Event id to the profile its timeline entry is on now. */
    private static Map<String, String> profiles(DataSource db) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select event_id, customer_id::text from crm_timeline")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
