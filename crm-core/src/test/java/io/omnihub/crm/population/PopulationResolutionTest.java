package io.omnihub.crm.population;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.BatchResult;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CrmSchema;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.testsupport.PostgresFixture;
import io.omnihub.testsupport.TestClock;
import io.omnihub.testsupport.population.Observation;
import io.omnihub.testsupport.population.PairwiseScore;
import io.omnihub.testsupport.population.Population;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One customer is one person: a synthetic retail population (gifts, households, store phones, test
 * numbers, shared tablets, declined consent) through the core, scored pair by pair against the real
 * people. Only the national test number is configured; everything else the core must work out.
 */
class PopulationResolutionTest {

    static PostgresFixture pg;

    @BeforeAll
    static void start() {
        pg = PostgresFixture.start();
        CrmSchema.migrate(pg.dataSource());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void profilesArePeopleWithPrecisionAndRecallOfAtLeast98Percent() throws SQLException {
        List<Observation> population = Population.generate(7, 5000);
        IdentityPolicy policy = IdentityPolicy.builder().blockValue("phone", Population.TEST_NUMBER).build();
        CrmCore core = new CrmCore(pg.dataSource(), policy, TestClock.ticking(Instant.parse("2026-06-01T00:00:00Z"), Duration.ofMillis(1)));
        List<CustomerEvent> events = population.stream().map(Observation::event).toList();
        for (int i = 0; i < events.size(); i += 500) {
            BatchResult r = core.apply(events.subList(i, Math.min(events.size(), i + 500)));
            assertThat(r.count(BatchResult.Status.REJECTED)).as("rejected: %s", r.outcomes().stream()
                    .filter(o -> o.status() == BatchResult.Status.REJECTED).findFirst()).isZero();
        }

        PairwiseScore score = PairwiseScore.of(population, profiles());
        System.out.println("population of seed 7: " + score);

        assertThat(score.observations()).isEqualTo((int) population.stream().filter(Observation::scored).count());
        assertThat(score.precision()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.recall()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.declinedSpanning()).isZero();
        assertThat(score.largestProfile()).isLessThanOrEqualTo(12);
    }

    /** Event id to the profile its timeline entry is on now. */
    private static Map<String, String> profiles() throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select event_id, customer_id::text from crm_timeline")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
