package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merges explained and undone, shared identifiers split, lookups without a namespace. */
class MergeHistoryTest extends PgTestBase {

    private static final Identity CARD = Identity.of("member_card", "VIP-1", "acme").withEvidence(Evidence.VERIFIED);
    private static final Identity OPENID = Identity.of("wechat_openid", "o-1", "wxapp1").withEvidence(Evidence.VERIFIED);
    private static final Identity PHONE = Identity.phone("+8613912345678").withEvidence(Evidence.STATED);

    @Test
    void aMergeNamesTheEventAndTheIdentifiersThatJoinedWithTheirEvidence() {
        String member = apply(msg("m1", "pos", t(0), "hi", CARD, PHONE)).outcomes().get(0).customerId();
        String follower = apply(msg("w1", "wechat", t(1), "hi", OPENID)).outcomes().get(0).customerId();

        apply(event("w2", "profile.updated", "wechat", t(2), OPENID, Identity.phone("+8613912345678").withEvidence(Evidence.VERIFIED)).build());

        assertThat(core.merges(follower)).singleElement().satisfies(m -> {
            assertThat(m.survivingId()).isEqualTo(member);
            assertThat(m.mergedId()).isEqualTo(follower);
            assertThat(m.kind()).isEqualTo("event");
            assertThat(m.evidenceEventId()).isEqualTo("w2");
            assertThat(m.joined()).extracting(JoinedIdentifier::type, JoinedIdentifier::evidence, JoinedIdentifier::side)
                    .containsExactlyInAnyOrder(tuple("wechat_openid", "verified", "merged"), tuple("phone", "verified", "survivor"));
            assertThat(m.undoneAt()).isNull();
        });
    }

    @Test
    void anUndoneMergeStaysUndoneWhenTheIdentifierThatJoinedThemComesAgain() throws Exception {
        apply(msg("m1", "pos", t(0), "hi", CARD, PHONE));
        String follower = apply(msg("w1", "wechat", t(1), "hi", OPENID)).outcomes().get(0).customerId();
        apply(event("w2", "profile.updated", "wechat", t(2), OPENID, PHONE).build());
        MergeRecord merge = core.merges(follower).get(0);

        MergeRecord undone = core.unmerge(merge.id(), "undone by ops: two people");

        assertThat(undone.undoneReason()).isEqualTo("undone by ops: two people");
        assertThat(activeCustomers()).isEqualTo(2);
        apply(event("w3", "profile.updated", "wechat", t(3), OPENID, PHONE).build());
        assertThat(activeCustomers()).isEqualTo(2);
        assertThat(view(OPENID).id()).isNotEqualTo(view(CARD).id());
        // the WeChat event stays with the WeChat profile; the phone that had joined them is left out
        assertThat(view(OPENID).timeline()).extracting(TimelineEntry::eventId).contains("w3");
        assertThat(summary(view(OPENID), "w3").toString()).contains(Unlinked.MERGE_BLOCKED);
    }

    @Test
    void aManualMergeIsAuditedAndUndoneTheSameWay() throws Exception {
        String a = apply(msg("m1", "pos", t(0), "hi", CARD)).outcomes().get(0).customerId();
        String b = apply(msg("w1", "wechat", t(1), "hi", OPENID)).outcomes().get(0).customerId();

        MergeRecord manual = core.merge(b, a, "same person, checked in store");

        assertThat(manual.kind()).isEqualTo("manual");
        assertThat(manual.reason()).isEqualTo("same person, checked in store");
        assertThat(manual.joined()).isEmpty();
        assertThat(activeCustomers()).isEqualTo(1);
        core.unmerge(manual.id());
        assertThat(activeCustomers()).isEqualTo(2);
        assertThatThrownBy(() -> core.unmerge(manual.id())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStorePhoneTypedForWalkInsIsFoundSharedAndItsPurchasesGetProfilesOfTheirOwn() throws Exception {
        Identity storeMobile = Identity.phone("+8613700000001").withEvidence(Evidence.NOTED);
        for (int i = 0; i < 3; i++) {
            apply(walkIn("w" + i, i, storeMobile));
        }
        assertThat(activeCustomers()).isEqualTo(1);

        apply(walkIn("w3", 3, storeMobile));

        assertThat(activeCustomers()).isEqualTo(4);
        assertThat(count("select max(n) from (select count(*) n from crm_timeline group by customer_id) t")).isEqualTo(1);
        assertThat(core.sharedIdentifiers("detected", 10)).singleElement().satisfies(s -> {
            assertThat(s.value()).isEqualTo("+8613700000001");
            assertThat(s.reason()).isEqualTo("the only identifier of 4 walk-in orders at /connectors/pos/main#S1");
            assertThat(s.evidence()).containsEntry("separatedEvents", 2);
        });
        apply(walkIn("w4", 4, storeMobile));
        assertThat(activeCustomers()).isEqualTo(5);

        SharedIdentifierView overruled = core.decideShared("phone", "+8613700000001", null, false, "ops", "the owner's own");
        assertThat(overruled.status()).isEqualTo("overruled");
        assertThat(overruled.decidedBy()).isEqualTo("ops");
    }

    @Test
    void anOverruledIdentifierLinksAgainFromTheNextEventAndAConfirmedOneDoesNot() throws Exception {
        Identity storeMobile = Identity.phone("+8613700000001").withEvidence(Evidence.NOTED);
        for (int i = 0; i < 4; i++) {
            apply(walkIn("w" + i, i, storeMobile));
        }
        // the fourth walk-in showed the mobile is shared: nobody holds it now
        long split = activeCustomers();

        core.decideShared("phone", "+8613700000001", null, false, "ops", "the owner's own");
        apply(walkIn("w4", 4, storeMobile));
        apply(walkIn("w5", 5, storeMobile));

        // the first walk-in after the decision takes the phone, the next one links to it
        assertThat(activeCustomers()).isEqualTo(split + 1);
        assertThat(view(storeMobile).timeline()).extracting(TimelineEntry::eventId).containsExactlyInAnyOrder("w4", "w5");

        core.decideShared("phone", "+8613700000001", null, true, "ops", "the store's after all");
        apply(walkIn("w6", 6, storeMobile));

        assertThat(activeCustomers()).isEqualTo(split + 2);
        assertThat(view(storeMobile).timeline()).extracting(TimelineEntry::eventId).doesNotContain("w6");
        assertThat(core.sharedIdentifiers("confirmed", 10)).singleElement().satisfies(sh -> assertThat(sh.decidedBy()).isEqualTo("ops"));
    }

    @Test
    void aLookupWithoutNamespaceFindsTheOnlyNamespaceAndNamesThemWhenThereAreSeveral() {
        String one = apply(msg("w1", "wechat", t(0), "hi", Identity.of("wechat_openid", "o-x", "wxapp1"))).outcomes().get(0).customerId();

        assertThat(core.findByIdentity("wechat_openid", "o-x", null)).get().extracting(CustomerView::id).isEqualTo(one);

        apply(msg("w2", "wechat", t(1), "hi", Identity.of("wechat_openid", "o-x", "wxapp2")));
        assertThatThrownBy(() -> core.findByIdentity("wechat_openid", "o-x", null))
                .isInstanceOf(AmbiguousIdentityException.class)
                .satisfies(e -> assertThat(((AmbiguousIdentityException) e).namespaces()).containsExactly("wxapp1", "wxapp2"));
    }

    private static io.omnihub.connector.event.CustomerEvent walkIn(String id, int minute, Identity phone) {
        return event(id, "store.purchased", "pos", t(minute), phone).extra("storeId", "S1")
                .order(new Order("W-" + id, "DONE", "CNY", 1000, List.of())).build();
    }
}
