package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The linking rules, one by one, on an identity graph in memory: no database. */
class LinkPlannerTest {

    private final IdentityPolicy policy = IdentityPolicy.defaults();
    private final EventCheck check = new EventCheck(policy);
    private final LinkPlanner planner = new LinkPlanner(policy);
    private final IdentityGraph graph = new IdentityGraph();
    private int orders;

    private static final Identity CARD_A = Identity.of("member_card", "A", "acme").withEvidence(Evidence.VERIFIED);
    private static final Identity CARD_B = Identity.of("member_card", "B", "acme").withEvidence(Evidence.VERIFIED);
    private static final Identity BUYER = Identity.of("tmall_ouid", "AAbuyer", "shop").withEvidence(Evidence.VERIFIED);
    private static final Identity UNIONID = Identity.of("wechat_unionid", "u-1").withEvidence(Evidence.VERIFIED);
    private static final String MOBILE = "+8613912345678";
    private static final String OTHER_MOBILE = "+8613987654321";

    @Test
    void identifiersNobodyOwnsMakeANewProfileThatTakesThemAll() {
        LinkPlan plan = plan(event("pos", CARD_A, phone(MOBILE, Evidence.STATED)));

        assertThat(plan.profiles()).isEmpty();
        assertThat(plan.match()).containsExactlyInAnyOrder(key(CARD_A), key(phone(MOBILE, Evidence.STATED)));
        assertThat(plan.dropped()).isEmpty();
    }

    @Test
    void strongEvidenceOfTwoOwnersMergesThemIntoTheOlder() {
        UUID older = profile(0, CARD_A);
        UUID younger = profile(5, UNIONID);

        LinkPlan plan = plan(event("wechat", UNIONID, CARD_A));

        assertThat(plan.profiles()).containsExactly(older, younger);
    }

    @Test
    void aGiftParcelToAPhoneAnotherCustomerHoldsDoesNotJoinTheBuyerToThem() {
        UUID friend = profile(0, CARD_A, phone(MOBILE, Evidence.STATED));

        LinkPlan plan = plan(order("tmall", BUYER, phone(MOBILE, Evidence.DELIVERY)));

        assertThat(plan.profiles()).isEmpty();
        assertThat(plan.match()).containsExactly(key(BUYER));
        assertThat(plan.dropped()).extracting(Unlinked::key, Unlinked::reason).containsExactly(tuple(key(MOBILE), Unlinked.WEAK_HELD));
        assertThat(graph.owner(key(MOBILE))).isEqualTo(friend);
    }

    @Test
    void aWeakPhoneNobodyHoldsIsAttachedToTheEventsProfile() {
        UUID buyer = profile(0, BUYER);

        LinkPlan plan = plan(order("tmall", BUYER, phone(MOBILE, Evidence.DELIVERY)));

        assertThat(plan.profiles()).containsExactly(buyer);
        assertThat(plan.match()).contains(key(MOBILE));
    }

    @Test
    void aWalkInKnownOnlyByANotedPhoneJoinsTheProfileThatHoldsItStrongly() {
        UUID member = profile(0, CARD_A, phone(MOBILE, Evidence.STATED));

        LinkPlan plan = plan(order("pos", phone(MOBILE, Evidence.NOTED)));

        assertThat(plan.profiles()).containsExactly(member);
    }

    @Test
    void aWalkInDoesNotJoinAProfileThatOnlyOnceSentAParcelToItsPhone() {
        profile(0, BUYER, phone(MOBILE, Evidence.DELIVERY));

        LinkPlan plan = plan(order("pos", phone(MOBILE, Evidence.NOTED)));

        assertThat(plan.profiles()).isEmpty();
        assertThat(plan.dropped()).extracting(Unlinked::reason).containsExactly(Unlinked.WEAK_HELD);
    }

    @Test
    void strongEvidenceTakesAnIdentifierAnEstablishedProfileHeldOnlyWeakly() {
        UUID buyer = profile(0, BUYER, phone(MOBILE, Evidence.DELIVERY));

        LinkPlan plan = plan(event("pos", CARD_A, phone(MOBILE, Evidence.STATED)));

        assertThat(plan.profiles()).doesNotContain(buyer).isEmpty();
        assertThat(plan.claims()).containsExactly(key(MOBILE));
        assertThat(plan.match()).contains(key(MOBILE), key(CARD_A));
    }

    @Test
    void strongEvidenceAbsorbsAProfileMadeOfWeakEvidenceOnly() {
        UUID walkIns = profile(0, phone(MOBILE, Evidence.NOTED));

        LinkPlan plan = plan(event("pos", CARD_A, phone(MOBILE, Evidence.STATED)));

        assertThat(plan.profiles()).containsExactly(walkIns);
        assertThat(plan.claims()).isEmpty();
    }

    @Test
    void aSecondParcelToTheSamePhoneCorroboratesItAndJoinsTheTwo() {
        UUID member = profile(0, CARD_A, phone(MOBILE, Evidence.STATED));
        UUID buyer = profile(5, BUYER);
        graph.sighting(buyer, key(MOBILE), new IdentityGraph.Sighting(1, "T-earlier"));

        LinkPlan plan = plan(order("tmall", BUYER, phone(MOBILE, Evidence.DELIVERY)));

        assertThat(plan.profiles()).containsExactly(member, buyer);
        assertThat(plan.corroborated()).containsExactly(key(MOBILE));
    }

    @Test
    void repeatedParcelsDoNotCorroborateAPhoneWhenTheBuyerSendsAsManyToAnother() {
        profile(0, CARD_A, phone(MOBILE, Evidence.STATED));
        UUID buyer = profile(5, BUYER, phone(OTHER_MOBILE, Evidence.DELIVERY));
        graph.profile(buyer).weakOrders.put(key(OTHER_MOBILE), new IdentityGraph.Sighting(3, "T-3"));
        graph.sighting(buyer, key(MOBILE), new IdentityGraph.Sighting(1, "T-earlier"));

        LinkPlan plan = plan(order("tmall", BUYER, phone(MOBILE, Evidence.DELIVERY)));

        assertThat(plan.profiles()).containsExactly(buyer);
        assertThat(plan.corroborated()).isEmpty();
    }

    @Test
    void aWeakHoldCorroboratedByOrdersMeetsStrongEvidenceAndJoins() {
        UUID buyer = profile(0, BUYER, phone(MOBILE, Evidence.DELIVERY));
        graph.profile(buyer).weakOrders.put(key(MOBILE), new IdentityGraph.Sighting(2, "T-2"));

        LinkPlan plan = plan(event("pos", CARD_A, phone(MOBILE, Evidence.STATED)));

        assertThat(plan.profiles()).containsExactly(buyer);
        assertThat(plan.claims()).isEmpty();
        assertThat(plan.corroborated()).containsExactly(key(MOBILE));
    }

    @Test
    void aSharedIdentifierLinksNobody() {
        profile(0, CARD_A, phone(MOBILE, Evidence.STATED));
        graph.markShared(key(MOBILE));

        LinkPlan plan = plan(event("pos", CARD_B, phone(MOBILE, Evidence.STATED)));

        assertThat(plan.profiles()).isEmpty();
        assertThat(plan.match()).containsExactly(key(CARD_B));
        assertThat(plan.dropped()).extracting(Unlinked::reason).containsExactly(Unlinked.SHARED);
    }

    @Test
    void declinedLinkingKeepsAnotherChannelsProfileOut() {
        profile(0, BUYER, phone(MOBILE, Evidence.STATED));

        CustomerEvent declined = CustomerEvent.builder("e-" + (++orders), "customer.followed").source("pos", "main").time(Instant.EPOCH)
                .receivedAt(Instant.EPOCH).identity(CARD_A).identity(phone(MOBILE, Evidence.STATED)).consent(new Consent(false, null)).build();
        LinkPlan plan = plan(declined);

        assertThat(plan.profiles()).isEmpty();
        assertThat(plan.dropped()).extracting(Unlinked::reason).containsExactly(Unlinked.CONSENT);
    }

    @Test
    void aSecondCardOfTheSameBrandIsRefusedByTheLimitAndTheLowerPriorityPhoneDropped() {
        UUID a = profile(0, CARD_A, phone(MOBILE, Evidence.STATED));

        LinkPlan plan = plan(event("pos", CARD_B, phone(MOBILE, Evidence.STATED)));

        assertThat(plan.profiles()).doesNotContain(a);
        assertThat(plan.dropped()).extracting(Unlinked::key).containsExactly(key(MOBILE));
        assertThat(plan.dropped().get(0).reason()).startsWith("limit: at most 1 member_card");
    }

    @Test
    void profilesAnOperatorSplitAreNotJoinedAgainByTheIdentifierThatJoinedThem() {
        UUID a = profile(0, CARD_A);
        UUID b = profile(5, UNIONID);
        graph.profile(a).blockedWith.add(b);
        graph.profile(b).blockedWith.add(a);

        LinkPlan plan = plan(event("wechat", UNIONID, CARD_A));

        assertThat(plan.profiles()).hasSize(1);
        assertThat(plan.dropped()).extracting(Unlinked::reason).containsExactly(Unlinked.MERGE_BLOCKED);
    }

    @Test
    void aStoresLandlineNeverLinksButTheEventStillHappens() {
        CheckedEvent checked = check.check(order("pos", phone("+862161234567", Evidence.NOTED)));

        assertThat(checked.reject).isNull();
        assertThat(checked.candidates).isEmpty();
        assertThat(checked.notLinkable).extracting(Unlinked::reason).containsExactly(Unlinked.PHONE_KIND + "fixed_line");
        assertThat(planner.plan(checked, graph).profiles()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------

    private LinkPlan plan(CustomerEvent event) {
        CheckedEvent checked = check.check(event);
        assertThat(checked.reject).isNull();
        return planner.plan(checked, graph);
    }

    private CustomerEvent event(String connector, Identity... ids) {
        CustomerEvent.Builder b = CustomerEvent.builder("e-" + (++orders), "customer.followed").source(connector, "main")
                .time(Instant.EPOCH).receivedAt(Instant.EPOCH);
        for (Identity id : ids) {
            b.identity(id);
        }
        return b.build();
    }

    private CustomerEvent order(String connector, Identity... ids) {
        CustomerEvent.Builder b = CustomerEvent.builder("e-" + (++orders), "order.paid").source(connector, "main")
                .time(Instant.EPOCH).receivedAt(Instant.EPOCH).order(new Order("T-" + orders, "PAID", "CNY", 100, List.of()));
        for (Identity id : ids) {
            b.identity(id);
        }
        return b.build();
    }

    /** A profile created {@code minutes} after the epoch owning {@code ids} by their evidence. */
    private UUID profile(int minutes, Identity... ids) {
        UUID id = UUID.randomUUID();
        ObjectNode empty = Json.MAPPER.createObjectNode();
        graph.add(new ProfileState(id, Instant.EPOCH.plusSeconds(60L * minutes), true, empty, empty.deepCopy()));
        for (Identity i : ids) {
            graph.own(key(i), id, i.evidence());
        }
        return id;
    }

    private static Identity phone(String e164, Evidence evidence) {
        return Identity.phone(e164).withEvidence(evidence);
    }

    private static IdKey key(Identity id) {
        return IdKey.of(id);
    }

    private static IdKey key(String mobile) {
        return IdKey.of(Identity.phone(mobile));
    }
}
