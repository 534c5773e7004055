package io.omnihub.testsupport.population;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scorer on a population small enough to count its pairs by hand. */
class PairwiseScoreTest {

    /*
     * Anna: a1 and a2 can be joined on the evidence, a3 (a single parcel to her own phone) only by
     * her own identifiers; a4 is graph-only enrichment. Ben: b1 and b2. Chen declined linking, so the
     * evidence joins nothing across his two platforms.
     */
    private static final List<Observation> POPULATION = List.of(
            observation("a1", "anna", "wechat", "anna:1", "anna", false),
            observation("a2", "anna", "tmall", "anna:1", "anna", false),
            observation("a3", "anna", "tmall", "anna:2", "anna", false),
            observation("a4", "anna", "wechat", null, "anna", false),
            observation("b1", "ben", "tmall", "ben:1", "ben", false),
            observation("b2", "ben", "tmall", "ben:1", "ben", false),
            observation("c1", "chen", "wechat", "chen:wechat", "chen", true),
            observation("c2", "chen", "pos", "chen:pos", "chen", true));

    @Test
    void aGiftGlueLowersPrecisionAndASplitPersonLowersRecall() {
        // p1 glues Ben's b1 to Anna; Ben's b2 is alone; Chen's two platforms are one profile
        PairwiseScore score = PairwiseScore.of(POPULATION,
                Map.of("a1", "p1", "a2", "p1", "b1", "p1", "a3", "p2", "a4", "p2", "b2", "p3", "c1", "p4", "c2", "p4"));

        // pairs in one profile: p1 has 3 (a1-a2, a1-b1, a2-b1), p4 has 1 (c1-c2); of them a1-a2 and c1-c2 are one person
        assertThat(score.precision()).isEqualTo(2.0 / 4);
        // joinable on the evidence: a1-a2, b1-b2; found: a1-a2
        assertThat(score.recall()).isEqualTo(1.0 / 2);
        // joinable by own identifiers: Anna's 3 pairs, b1-b2, c1-c2; found: a1-a2, c1-c2
        assertThat(score.recallOfOwnIdentifiers()).isEqualTo(2.0 / 5);
        assertThat(score.observations()).isEqualTo(7);
        assertThat(score.profiles()).isEqualTo(4);
        assertThat(score.people()).isEqualTo(3);
        assertThat(score.largestProfile()).isEqualTo(3);
        assertThat(score.declinedSpanning()).isEqualTo(1);
    }

    @Test
    void oneProfilePerPersonAndComponentScoresPerfectlyAndAnUnresolvedObservationCostsRecall() {
        Map<String, String> perfect = Map.of("a1", "p1", "a2", "p1", "a3", "p2", "b1", "p3", "b2", "p3", "c1", "p4", "c2", "p5");
        PairwiseScore score = PairwiseScore.of(POPULATION, perfect);
        assertThat(score.precision()).isEqualTo(1.0);
        assertThat(score.recall()).isEqualTo(1.0);
        assertThat(score.declinedSpanning()).isZero();

        PairwiseScore missingB2 = PairwiseScore.of(POPULATION,
                Map.of("a1", "p1", "a2", "p1", "a3", "p2", "b1", "p3", "c1", "p4", "c2", "p5"));
        assertThat(missingB2.observations()).isEqualTo(6);
        assertThat(missingB2.recall()).isEqualTo(1.0 / 2);
    }

    private static Observation observation(String id, String person, String platform, String component, String own, boolean declined) {
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        CustomerEvent event = CustomerEvent.builder(id, "message.received").source(platform, "main").time(at).receivedAt(at)
                .identity(Identity.of("member_card", person, "acme")).build();
        return new Observation(person, platform, component, own, declined, event);
    }
}
