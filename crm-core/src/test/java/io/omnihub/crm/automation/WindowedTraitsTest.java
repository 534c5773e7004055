package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.MergeRecord;
import io.omnihub.crm.SweepClaims;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Windowed traits: counts and sums over a window, kept as bucketed counters in the apply transaction. */
class WindowedTraitsTest extends AutomationTestBase {

    static final String TRAITS = """
            traits:
              - id: runningShoeViews7d
                count: page.viewed
                where: "event.extra.category == 'running-shoes'"
                window: 7d
              - id: spend90d
                sum: event.order.totalMinor
                on: [order.paid, store.purchased]
                window: 90d
              - id: runningShoeUnits90d
                sum: line.quantity
                over: lines
                where: "line.category == 'running-shoes'"
                on: [order.paid, store.purchased]
                window: 90d
            """;

    static final String FAN_RULE = """
            rules:
              - id: running-shoe-fan
                on: page.viewed
                when: "customer.traits.runningShoeViews7d >= 3"
                then:
                  - tag: running-shoe-fan
            """;

    @BeforeEach
    void traits() {
        define(TRAITS + FAN_RULE);
    }

    @Test
    void threeRunningShoeViewsWithinSevenDaysTagTheCustomer() {
        String id = customerOf(apply(view("o-1", "running-shoes")));
        advance(Duration.ofDays(3));
        apply(view("o-1", "running-shoes"));
        assertThat(tags(id)).doesNotContain("running-shoe-fan");
        advance(Duration.ofDays(3).plusHours(23));
        apply(view("o-1", "running-shoes"));

        assertThat(tags(id)).contains("running-shoe-fan");
        assertThat(traitsOf(id)).containsEntry("runningShoeViews7d", 3L);
    }

    @Test
    void twoViewsDoNotTagAndViewsOfOtherCategoriesDoNotCount() {
        String id = customerOf(apply(view("o-2", "running-shoes")));
        apply(view("o-2", "hiking-boots"), view("o-2", "hiking-boots"));
        apply(view("o-2", "running-shoes"));

        assertThat(tags(id)).doesNotContain("running-shoe-fan");
        assertThat(traitsOf(id)).containsEntry("runningShoeViews7d", 2L);
    }

    @Test
    void threeViewsSpreadOverTenDaysDoNotTag() {
        String id = customerOf(apply(view("o-3", "running-shoes")));
        advance(Duration.ofDays(5));
        apply(view("o-3", "running-shoes"));
        advance(Duration.ofDays(5));
        apply(view("o-3", "running-shoes"));

        assertThat(tags(id)).doesNotContain("running-shoe-fan");
        assertThat(traitsOf(id)).containsEntry("runningShoeViews7d", 2L);
    }

    @Test
    void eventsThatHappenedLongAgoCountByTheirOwnTime() {
        String id = customerOf(apply(view("o-4", "running-shoes", clock.instant().minus(Duration.ofDays(8)))));
        apply(view("o-4", "running-shoes", clock.instant().minus(Duration.ofDays(2))));
        apply(view("o-4", "running-shoes"));

        assertThat(tags(id)).doesNotContain("running-shoe-fan");
        assertThat(traitsOf(id)).containsEntry("runningShoeViews7d", 2L);
    }

    @Test
    void bucketsThatLeaveTheWindowArePrunedAtTheNextEvent() throws Exception {
        String id = customerOf(apply(view("o-5", "running-shoes")));
        for (int day = 1; day <= 20; day++) {
            advance(Duration.ofDays(1));
            apply(view("o-5", "running-shoes"));
        }
        // hour buckets of a 7d window: today's and the 7 days before, at most 169 rows, here one a day
        assertThat(count("select count(*) from crm_trait_count where customer_id = ?::uuid and trait = 'runningShoeViews7d'", id))
                .isEqualTo(8);
        assertThat(traitsOf(id)).containsEntry("runningShoeViews7d", 8L);
    }

    @Test
    void sumsAddWhatEachEventSaysWithinTheirWindow() {
        String id = customerOf(apply(paid("o-6", "SO-1", 60_000)));
        advance(Duration.ofDays(60));
        apply(paid("o-6", "SO-2", 30_000));
        assertThat(traitsOf(id)).containsEntry("spend90d", 90_000L);

        advance(Duration.ofDays(31));
        assertThat(traitsOf(id)).containsEntry("spend90d", 30_000L);
    }

    @Test
    void orderLinesAreCountedLineByLineAndReadableInConditions() {
        define(TRAITS + """
                rules:
                  - id: bought-running-shoes
                    on: [order.paid, store.purchased]
                    when: "event.order.lines.exists(l, l.category == 'running-shoes')"
                    then:
                      - tag: running-shoe-buyer
                segments:
                  - id: runners
                    when: "'running-shoes' in customer.orders.categories && customer.traits.runningShoeUnits90d >= 3"
                """);
        String id = customerOf(apply(order("o-7", "SO-7", new Order.OrderLine("SKU-1", "Pegasus 41", 2, 89_900, "running-shoes"),
                new Order.OrderLine("SKU-9", "Socks", 3, 4_900, "socks"))));
        assertThat(tags(id)).contains("running-shoe-buyer");
        assertThat(traitsOf(id)).containsEntry("runningShoeUnits90d", 2L);
        assertThat(automation.views().segmentMembers("runners", 10)).doesNotContain(id);

        apply(order("o-7", "SO-8", new Order.OrderLine("SKU-1", "Pegasus 41", 1, 89_900, "running-shoes")));
        assertThat(traitsOf(id)).containsEntry("runningShoeUnits90d", 3L);
        assertThat(automation.views().segmentMembers("runners", 10)).contains(id);

        String other = customerOf(apply(order("o-8", "SO-9", new Order.OrderLine("SKU-9", "Socks", 1, 4_900, "socks"))));
        assertThat(tags(other)).doesNotContain("running-shoe-buyer");
    }

    @Test
    void aMergeAddsTheCountersOfTheMergedProfile() {
        define(TRAITS + FAN_RULE.replace(">= 3", ">= 4"));
        String a = customerOf(apply(view("o-a", "running-shoes"), view("o-a", "running-shoes")));
        String b = customerOf(apply(view("o-b", "running-shoes")));
        MergeRecord merge = core.merge(a, b, "same person");
        String survivor = merge.survivingId();

        apply(view("o-a", "running-shoes"));
        assertThat(tags(survivor)).contains("running-shoe-fan");
        assertThat(traitsOf(survivor)).containsEntry("runningShoeViews7d", 4L);
    }

    @Test
    void undoingAMergeRecountsBothProfilesFromTheirTimelines() {
        String a = customerOf(apply(view("o-c", "running-shoes"), view("o-c", "running-shoes")));
        String b = customerOf(apply(view("o-d", "running-shoes")));
        MergeRecord merge = core.merge(a, b, "same person");
        assertThat(traitsOf(merge.survivingId())).containsEntry("runningShoeViews7d", 3L);

        automation.traits().runDue(claims()); // the traits' backfill is done: what follows is the unmerge's recount

        core.unmerge(merge.id());
        apply(view("o-c", "running-shoes")); // recounted at the profile's next event ...
        assertThat(traitsOf(a)).containsEntry("runningShoeViews7d", 3L);
        // b has had no event since: its counters are stale (the survivor's sum, or none if it was the merged one)
        // until the recount of marked profiles, which of the two survived depending on their random ids
        assertThat(automation.traits().runDue(claims())).isEqualTo(1); // ... or by the recount of marked profiles
        assertThat(traitsOf(b)).containsEntry("runningShoeViews7d", 1L);
    }

    @Test
    void aNewTraitIsBackfilledFromTheTimelineOnceBoundedByItsWindow() throws Exception {
        define(FAN_RULE.replace("customer.traits.runningShoeViews7d >= 3", "false"));
        String id = customerOf(apply(view("o-e", "running-shoes", clock.instant().minus(Duration.ofDays(9)))));
        apply(view("o-e", "running-shoes", clock.instant().minus(Duration.ofDays(3))));
        apply(view("o-e", "running-shoes", clock.instant().minus(Duration.ofDays(1))));
        apply(view("o-e", "hiking-boots"));
        String none = customerOf(apply(view("o-f", "hiking-boots")));

        define(TRAITS + FAN_RULE);
        assertThat(traitsOf(id)).containsEntry("runningShoeViews7d", 0L);
        SweepClaims claims = claims();
        assertThat(automation.traits().runDue(claims)).isEqualTo(2); // both customers viewed something in the window

        assertThat(traitsOf(id)).containsEntry("runningShoeViews7d", 2L);
        assertThat(traitsOf(none)).containsEntry("runningShoeViews7d", 0L);
        assertThat(claims.lastFinished("trait-backfill:runningShoeViews7d")).isPresent();
        assertThat(automation.traits().runDue(claims)).isZero();

        apply(view("o-e", "running-shoes"));
        assertThat(tags(id)).contains("running-shoe-fan");
        assertThat(count("select count(*) from crm_trait_state where trait = 'runningShoeViews7d'")).isEqualTo(1);
    }

    @Test
    void orderLinesAreStoredAndShownWithTheOrderReplacedByLaterLinesOnly() {
        String id = customerOf(apply(order("o-9", "SO-10", new Order.OrderLine("SKU-1", "Pegasus 41", 2, 89_900, "running-shoes"))));
        advance(Duration.ofHours(1));
        apply(event("order.shipped", "o-9").order(new Order("SO-10", "SHIPPED", "CNY", 179_800, List.of())).build());
        assertThat(core.orders(id, 0, 10)).singleElement().satisfies(o -> {
            assertThat(o.state()).isEqualTo("shipped");
            assertThat(o.lines()).singleElement().satisfies(l -> {
                assertThat(l.sku()).isEqualTo("SKU-1");
                assertThat(l.category()).isEqualTo("running-shoes");
                assertThat(l.quantity()).isEqualTo(2);
                assertThat(l.unitPriceMinor()).isEqualTo(89_900);
            });
        });

        advance(Duration.ofHours(1));
        apply(order("o-9", "SO-10", new Order.OrderLine("SKU-1", "Pegasus 41", 1, 89_900, "running-shoes"),
                new Order.OrderLine("SKU-2", "Vomero 18", 1, 109_900, "running-shoes")));
        // a late copy of the first event does not bring the old lines back
        apply(event("order.created", "o-9").time(clock.instant().minus(Duration.ofHours(3)))
                .order(new Order("SO-10", "NEW", "CNY", 1, List.of(new Order.OrderLine("OLD", "old", 9, 1, null)))).build());

        assertThat(core.orders(id, 0, 10)).singleElement()
                .satisfies(o -> assertThat(o.lines()).extracting(l -> l.sku()).containsExactly("SKU-1", "SKU-2"));
    }

    @Test
    void traitDefinitionsThatCannotBeKeptAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> DefinitionParser.parseFile("t.yaml", "traits:\n  - id: running-views\n    count: page.viewed\n    window: 7d\n"))
                .hasMessageContaining("t.yaml:2").hasMessageContaining("customer.traits.running-views");
        assertThatThrownBy(() -> DefinitionParser.parseFile("t.yaml", "traits:\n  - id: x\n    count: page.viewed\n    sum: '1'\n    window: 7d\n"))
                .hasMessageContaining("either 'count'");
        assertThatThrownBy(() -> DefinitionParser.parseFile("t.yaml", "traits:\n  - id: x\n    count: page.viewed\n    window: 8d12h\n"))
                .hasMessageContaining("t.yaml:4").hasMessageContaining("whole days");
        assertThatThrownBy(() -> DefinitionParser.parseFile("t.yaml", "traits:\n  - id: x\n    count: page.viewed\n    window: 500d\n"))
                .hasMessageContaining("at most 400d");
        assertThatThrownBy(() -> DefinitionParser.parseFile("t.yaml", "traits:\n  - id: x\n    count: page.viewed\n"
                + "    where: \"customer.tags.size() > 0\"\n    window: 7d\n"))
                .hasMessageContaining("t.yaml:4").hasMessageContaining("undeclared reference");
        assertThatThrownBy(() -> new Definitions.Builder().add(DefinitionParser.parseFile("a.yaml", TRAITS))
                .add(DefinitionParser.parseFile("b.yaml", TRAITS)))
                .hasMessageContaining("trait 'runningShoeViews7d' is defined already at a.yaml:2");
    }

    // -----------------------------------------------------------------------------------------

    SweepClaims claims() {
        return new SweepClaims(ds, clock, "node-a");
    }

    CustomerEvent view(String openid, String category) {
        return view(openid, category, clock.instant());
    }

    CustomerEvent view(String openid, String category, java.time.Instant at) {
        return event("page.viewed", openid).time(at).extra("category", category).extra("url", "/p/" + category).build();
    }

    CustomerEvent order(String openid, String orderId, Order.OrderLine... lines) {
        long total = 0;
        for (Order.OrderLine l : lines) {
            total += l.quantity() * l.unitPriceMinor();
        }
        return event("order.paid", openid).order(new Order(orderId, "PAID", "CNY", total, List.of(lines))).build();
    }

    List<String> tags(String customer) {
        return core.customer(customer).orElseThrow().tags();
    }

    Map<String, Long> traitsOf(String customer) {
        try (Connection c = ds.getConnection()) {
            UUID id = UUID.fromString(customer);
            return TraitCounters.values(c, List.of(id), automation.definitions().traits(), clock.instant()).get(id);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
