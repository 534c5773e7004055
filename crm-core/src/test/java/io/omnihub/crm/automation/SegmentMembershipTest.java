package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Segment memberships outlive a definition this node cannot read for a while. */
class SegmentMembershipTest extends AutomationTestBase {

    /** What the node still has when the file defining {@code vips} is refused: a rule and another segment. */
    static final String RULES = """
            rules:
              - id: vip
                on: order.paid
                then: [ { tag: VIP } ]
            segments:
              - id: known
                when: "size(customer.tags) > 0"
            """;

    static final String SEGMENT_AND_JOURNEY = """
            ---
            segments:
              - id: vips
                when: "'VIP' in customer.tags"
            journeys:
              - id: welcome-vip
                trigger: { segment: vips }
                steps:
                  - tag: welcomed
            """;

    @Test
    void anEventHandledWhileASegmentIsNotDefinedHereLeavesItsMembersAloneAndItsJourneyDoesNotStartAgain() throws Exception {
        define(RULES + SEGMENT_AND_JOURNEY);
        String customer = customerOf(apply(paid("o-vip", "P-1", 100)));
        assertThat(automation.views().segmentMembers("vips", 10)).containsExactly(customer);
        assertThat(automation.views().enrollments("welcome-vip", null, null, 10)).hasSize(1);

        // the segment's file is refused (or missing) on this node, e.g. after a restart
        define(RULES);
        apply(event("profile.updated", "o-vip").build());
        assertThat(automation.views().segmentMembers("vips", 10)).containsExactly(customer);

        // it comes back: the customer was a member all along, so nothing enters and nothing re-fires
        define(RULES + SEGMENT_AND_JOURNEY);
        apply(event("profile.updated", "o-vip").build());
        assertThat(automation.views().segmentMembers("vips", 10)).containsExactly(customer);
        assertThat(automation.views().enrollments("welcome-vip", null, null, 10)).hasSize(1);
    }

    @Test
    void deletingASegmentOverTheApiEndsItsMemberships() throws Exception {
        DefinitionStore store = new DefinitionStore(ds, clock);
        store.put(DefinitionParser.Kind.SEGMENT, "vips", "id: vips\nwhen: \"'VIP' in customer.tags\"\n", "test");
        define(RULES + SEGMENT_AND_JOURNEY);
        String customer = customerOf(apply(paid("o-vip", "P-1", 100)));
        assertThat(automation.views().segmentMembers("vips", 10)).containsExactly(customer);

        assertThat(store.delete(DefinitionParser.Kind.SEGMENT, "vips")).isTrue();

        assertThat(automation.views().segmentMembers("vips", 10)).isEqualTo(List.of());
    }
}
