package io.omnihub.testsupport.population;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How well profiles match people, pair by pair of scored observations.
 *
 * <ul>
 *   <li><b>precision</b>: of the pairs the resolver put in one profile, the share that are one person;</li>
 *   <li><b>recall</b>: of the pairs one person's own identifiers can join (see {@link Observation#component()}),
 *       the share the resolver put in one profile;</li>
 *   <li>the largest profile, in observations, and how many people who declined cross-channel linking
 *       have a profile that spans two platforms.</li>
 * </ul>
 *
 * @param observations scored observations that reached a profile
 * @param profiles     distinct profiles among them
 * @param people       distinct people among them
 * @param precision    1 when the resolver joined no pair at all
 * @param recall       1 when no pair could be joined
 * @param recallOfOwnIdentifiers recall against every pair the person's own identifiers join, whatever
 *                     the evidence (a parcel to their own phone once included): the strict bound
 * @param largestProfile observations in the largest profile
 * @param declinedSpanning people who declined cross-channel linking with a profile of two platforms
 */
public record PairwiseScore(int observations, int profiles, int people, double precision, double recall,
                            double recallOfOwnIdentifiers, int largestProfile, int declinedSpanning) {

    /**
     * Scores {@code population} given the profile each event landed on ({@code profileOf}: event id to
     * profile id); scored observations missing from it are counted as unresolved and fail the score
     * through recall.
     */
    public static PairwiseScore of(List<Observation> population, Map<String, String> profileOf) {
        Map<String, Long> perProfile = new HashMap<>();
        Map<List<String>, Long> perProfileAndPerson = new HashMap<>();
        Map<List<String>, Long> perProfileAndComponent = new HashMap<>();
        Map<String, Long> perComponent = new HashMap<>();
        Map<String, Long> perOwnGroup = new HashMap<>();
        Map<List<String>, Long> perProfileAndOwnGroup = new HashMap<>();
        Map<String, Set<String>> platformsOfProfile = new HashMap<>();
        Map<String, Set<String>> profilesOfDeclined = new HashMap<>();
        Set<String> people = new HashSet<>();
        int observations = 0;
        for (Observation o : population) {
            if (!o.scored()) {
                continue;
            }
            perComponent.merge(o.component(), 1L, Long::sum);
            perOwnGroup.merge(o.ownIdentifiers(), 1L, Long::sum);
            String profile = profileOf.get(o.event().id());
            if (profile == null) {
                continue;
            }
            observations++;
            people.add(o.person());
            perProfile.merge(profile, 1L, Long::sum);
            perProfileAndPerson.merge(List.of(profile, o.person()), 1L, Long::sum);
            perProfileAndComponent.merge(List.of(profile, o.component()), 1L, Long::sum);
            perProfileAndOwnGroup.merge(List.of(profile, o.ownIdentifiers()), 1L, Long::sum);
            platformsOfProfile.computeIfAbsent(profile, k -> new HashSet<>()).add(o.platform());
            if (o.declined()) {
                profilesOfDeclined.computeIfAbsent(o.person(), k -> new HashSet<>()).add(profile);
            }
        }
        long predicted = pairs(perProfile);
        long samePerson = pairs(perProfileAndPerson);
        long achievable = pairs(perComponent);
        long found = pairs(perProfileAndComponent);
        int largest = perProfile.values().stream().mapToInt(Long::intValue).max().orElse(0);
        int spanning = 0;
        for (Set<String> profiles : profilesOfDeclined.values()) {
            if (profiles.stream().anyMatch(p -> platformsOfProfile.get(p).size() > 1)) {
                spanning++;
            }
        }
        return new PairwiseScore(observations, perProfile.size(), people.size(),
                predicted == 0 ? 1.0 : (double) samePerson / predicted,
                achievable == 0 ? 1.0 : (double) found / achievable, ratio(pairs(perProfileAndOwnGroup), pairs(perOwnGroup)), largest, spanning);
    }

    private static double ratio(long found, long possible) {
        return possible == 0 ? 1.0 : (double) found / possible;
    }

    private static long pairs(Map<?, Long> counts) {
        long sum = 0;
        for (long n : counts.values()) {
            sum += n * (n - 1) / 2;
        }
        return sum;
    }

    @Override
    public String toString() {
        return String.format("precision %.4f, recall %.4f (against every own identifier %.4f), %d observations of %d people in %d profiles, "
                + "largest profile %d, %d who declined linking spanning platforms", precision, recall, recallOfOwnIdentifiers, observations, people,
                profiles, largestProfile, declinedSpanning);
    }
}
