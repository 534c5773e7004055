package io.omnihub.crm.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkovRemovalEffectsTest {

    private static MarkovRemovalEffects.Path path(boolean converted, String... channels) {
        return new MarkovRemovalEffects.Path(List.of(channels), converted);
    }

    /**
     * The classic three paths: C1 → C2 → C3 → conversion, C1 → null, C2 → C3 → null.
     *
     * <pre>
     * transitions: start→C1 2/3, start→C2 1/3; C1→C2 1/2, C1→null 1/2; C2→C3 1; C3→conv 1/2, C3→null 1/2
     * P(conv)          = 2/3·1/2·1·1/2 + 1/3·1·1/2 = 1/6 + 1/6 = 1/3
     * without C1: start→C1 goes to null: 1/3·1·1/2 = 1/6    removal effect 1 − (1/6)/(1/3) = 1/2
     * without C2: every converting walk passes C2: 0          removal effect 1
     * without C3: likewise: 0                                removal effect 1
     * shares: 1/2, 1, 1 over 5/2 → C1 1/5, C2 2/5, C3 2/5
     * </pre>
     */
    @Test
    void theClassicThreePathExampleGivesItsTextbookRemovalEffects() {
        MarkovRemovalEffects.Result r = MarkovRemovalEffects.of(List.of(
                path(true, "C1", "C2", "C3"), path(false, "C1"), path(false, "C2", "C3")));

        assertThat(r.conversionProbability()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.removalEffects()).containsOnlyKeys("C1", "C2", "C3");
        assertThat(r.removalEffects().get("C1")).isCloseTo(0.5, within(1e-12));
        assertThat(r.removalEffects().get("C2")).isCloseTo(1.0, within(1e-12));
        assertThat(r.removalEffects().get("C3")).isCloseTo(1.0, within(1e-12));
        assertThat(r.shares().get("C1")).isCloseTo(0.2, within(1e-12));
        assertThat(r.shares().get("C2")).isCloseTo(0.4, within(1e-12));
        assertThat(r.shares().get("C3")).isCloseTo(0.4, within(1e-12));
    }

    /**
     * A loop between two channels: A → B → A → conversion, B → null.
     *
     * <pre>
     * transitions: start→A 1/2, start→B 1/2; A→B 1/2, A→conv 1/2; B→A 1/2, B→null 1/2
     * x_A = 1/2·x_B + 1/2, x_B = 1/2·x_A  →  x_A = 2/3, x_B = 1/3;  P(conv) = 1/2·2/3 + 1/2·1/3 = 1/2
     * without A: nothing reaches conversion: effect 1
     * without B: x_A = 1/2, P = 1/2·1/2 = 1/4: effect 1/2
     * </pre>
     */
    @Test
    void loopsBetweenChannelsAreSolvedExactly() {
        MarkovRemovalEffects.Result r = MarkovRemovalEffects.of(List.of(path(true, "A", "B", "A"), path(false, "B")));

        assertThat(r.conversionProbability()).isCloseTo(0.5, within(1e-12));
        assertThat(r.removalEffects().get("A")).isCloseTo(1.0, within(1e-12));
        assertThat(r.removalEffects().get("B")).isCloseTo(0.5, within(1e-12));
        assertThat(r.shares().get("A")).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void withoutConversionsNoChannelEarnsCredit() {
        MarkovRemovalEffects.Result r = MarkovRemovalEffects.of(List.of(path(false, "A"), path(false, "A", "B")));

        assertThat(r.conversionProbability()).isZero();
        assertThat(r.removalEffects()).containsEntry("A", 0.0).containsEntry("B", 0.0);
        assertThat(r.shares()).containsEntry("A", 0.0).containsEntry("B", 0.0);
    }

    @Test
    void aPathWithoutTouchesIsRefused() {
        assertThatThrownBy(() -> path(true)).isInstanceOf(IllegalArgumentException.class);
    }
}
