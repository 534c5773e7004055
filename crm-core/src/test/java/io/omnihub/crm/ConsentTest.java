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
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Consent by purpose and channel with its history, and withdrawing cross-channel linking. */
class ConsentTest extends PgTestBase {

    private static final Identity OPENID = Identity.of("wechat_openid", "o-1", "wxapp1").withEvidence(Evidence.VERIFIED);
    private static final Identity CARD = Identity.of("member_card", "VIP-1", "acme").withEvidence(Evidence.VERIFIED);
    private static final Identity OUID = Identity.of("tmall_ouid", "t-1", "seller1").withEvidence(Evidence.VERIFIED);
    private static final Identity PHONE = Identity.phone("+8613912345678").withEvidence(Evidence.VERIFIED);

    private static CustomerEvent stated(String id, String connector, Instant at, Consent consent, Identity... ids) {
        return event(id, "consent.changed", connector, at, ids).consent(consent).build();
    }

    @Test
    void everyStatementIsKeptWithItsSourceEventAndTheViewShowsTheCurrentOnePerPurposeAndChannel() {
        String cid = apply(stated("c1", "wechat", t(1), new Consent(true, true, Map.of("sms", true), true), OPENID))
                .outcomes().get(0).customerId();
        apply(stated("c2", "sms", t(5), Consent.channelMarketing("sms", false), PHONE, OPENID));
        // made before the SMS withdrawal, arriving after it: kept in the history, not current
        apply(stated("c3", "wechat", t(3), Consent.channelMarketing("sms", true), OPENID));

        ConsentView now = core.customer(cid).orElseThrow().consent();
        assertThat(now.crossChannelLinking()).isTrue();
        assertThat(now.marketing()).isTrue();
        assertThat(now.analytics()).isTrue();
        assertThat(now.analyticsAt()).isEqualTo(t(1));
        assertThat(now.marketingOn("sms")).extracting(ConsentStatement::value, ConsentStatement::at, ConsentStatement::eventId,
                ConsentStatement::eventType, ConsentStatement::source).containsExactly(false, t(5), "c2", "consent.changed", "/connectors/sms/main");
        assertThat(now.marketingOn("wechat").key()).isEqualTo("marketing");
        assertThat(now.statements()).extracting(ConsentStatement::key, ConsentStatement::purpose, ConsentStatement::channel)
                .containsExactly(tuple("analytics", "analytics", null), tuple("crossChannelLinking", "crossChannelLinking", null),
                        tuple("marketing", "marketing", null), tuple("marketing.sms", "marketing", "sms"));

        List<ConsentStatement> history = core.consentHistory(cid, 0, 100);
        assertThat(history).extracting(ConsentStatement::key, ConsentStatement::value, ConsentStatement::eventId).containsExactly(
                tuple("marketing.sms", false, "c2"), tuple("marketing.sms", true, "c3"),
                tuple("analytics", true, "c1"), tuple("marketing.sms", true, "c1"), tuple("marketing", true, "c1"),
                tuple("crossChannelLinking", true, "c1"));
        assertThat(core.consentHistory(cid, 1, 2)).extracting(ConsentStatement::eventId).containsExactly("c3", "c1");
        assertThat(core.consentHistory("no-such-id", 0, 10)).isEmpty();
    }

    @Test
    void aMergeBringsTheMergedProfilesHistoryAndAnUnmergeTakesItBack() {
        String member = apply(stated("m1", "pos", t(0), Consent.channelMarketing("sms", true), CARD, PHONE)).outcomes().get(0).customerId();
        String follower = apply(stated("w1", "wechat", t(1), Consent.channelMarketing("wechat", false), OPENID)).outcomes().get(0).customerId();
        apply(event("w2", "profile.updated", "wechat", t(2), OPENID, PHONE).build());

        assertThat(core.consentHistory(member, 0, 10)).extracting(ConsentStatement::eventId).containsExactly("w1", "m1");
        assertThat(core.customer(member).orElseThrow().consent().marketingOn("wechat").value()).isFalse();

        core.unmerge(core.merges(follower).get(0).id());

        assertThat(core.consentHistory(member, 0, 10)).extracting(ConsentStatement::eventId).containsExactly("m1");
        assertThat(core.consentHistory(follower, 0, 10)).extracting(ConsentStatement::eventId).containsExactly("w1");
        assertThat(core.customer(member).orElseThrow().consent().marketingOn("wechat")).isNull();
    }

    /** One person on WeChat, in the store and on Tmall, joined by the phone each platform verified. */
    private String linkedAcrossThreePlatforms() {
        apply(msg("w1", "wechat", t(0), "hi", OPENID, PHONE));
        apply(order("p1", "store.purchased", "pos", t(1), new Order("R-1", null, "CNY", 9900, List.of()), CARD, PHONE));
        apply(order("t1", "order.paid", "tmall", t(2), new Order("T-1", null, "CNY", 19900, List.of()), OUID, PHONE));
        apply(event("p2", "profile.updated", "pos", t(3), CARD).attribute("homeStore", "SH-001").build());
        String cid = view(OPENID).id();
        assertThat(List.of(view(CARD).id(), view(OUID).id())).containsOnly(cid);
        return cid;
    }

    @Test
    void withdrawingCrossChannelLinkingOnOnePlatformLeavesOneProfilePerPlatform() {
        String cid = linkedAcrossThreePlatforms();

        apply(stated("w9", "wechat", t(10), new Consent(false, null), OPENID));

        CustomerView wechat = view(OPENID);
        CustomerView pos = view(CARD);
        CustomerView tmall = view(OUID);
        assertThat(Set.of(wechat.id(), pos.id(), tmall.id())).hasSize(3);
        assertThat(wechat.id()).isEqualTo(cid);
        // identities, timeline, orders and attributes follow their platform; the phone stays where the withdrawal came from
        assertThat(wechat.identities()).extracting(IdentityView::type).containsExactlyInAnyOrder("wechat_openid", "phone");
        assertThat(pos.identities()).extracting(IdentityView::type).containsExactly("member_card");
        assertThat(tmall.identities()).extracting(IdentityView::type).containsExactly("tmall_ouid");
        assertThat(wechat.timeline()).extracting(TimelineEntry::eventId).containsExactly("w9", "w1");
        assertThat(pos.timeline()).extracting(TimelineEntry::eventId).containsExactly("p2", "p1");
        assertThat(tmall.timeline()).extracting(TimelineEntry::eventId).containsExactly("t1");
        assertThat(pos.orders().count()).isEqualTo(1);
        assertThat(tmall.orders().totalMinorByCurrency()).containsEntry("CNY", 19900L);
        assertThat(wechat.orders().count()).isZero();
        assertThat(pos.attributes()).containsEntry("homeStore", "SH-001");
        assertThat(wechat.attributes()).doesNotContainKey("homeStore");
        assertThat(pos.unlinkedIdentities()).extracting(UnlinkedIdentityView::type, UnlinkedIdentityView::reason)
                .containsExactly(tuple("phone", Unlinked.CONSENT));
        // the withdrawal is on each of them, with the history it had
        for (CustomerView v : List.of(wechat, pos, tmall)) {
            assertThat(v.consent().crossChannelLinking()).isFalse();
            assertThat(v.consent().crossChannelLinkingAt()).isEqualTo(t(10));
            assertThat(core.consentHistory(v.id(), 0, 10)).extracting(ConsentStatement::eventId).containsExactly("w9");
        }
        // audited as splits in the merge history
        assertThat(core.merges(cid)).extracting(MergeRecord::kind, MergeRecord::mergedId, MergeRecord::evidenceEventId,
                        MergeRecord::undoneReason)
                .containsExactlyInAnyOrder(tuple("split", pos.id(), "w9", LinkingWithdrawal.REASON),
                        tuple("split", tmall.id(), "w9", LinkingWithdrawal.REASON));
        assertThat(core.merges(pos.id())).singleElement()
                .satisfies(m -> assertThat(m.reason()).startsWith("consent withdrawn: cross-channel linking declined on wechat"));
    }

    @Test
    void afterTheWithdrawalNewEventsOnEachPlatformDoNotJoinTheProfilesAgain() throws Exception {
        linkedAcrossThreePlatforms();
        apply(stated("w9", "wechat", t(10), new Consent(false, null), OPENID));
        Set<String> split = Set.of(view(OPENID).id(), view(CARD).id(), view(OUID).id());

        apply(msg("w10", "wechat", t(11), "hello", OPENID, PHONE));
        apply(order("p10", "store.purchased", "pos", t(12), new Order("R-2", null, "CNY", 100, List.of()), CARD, PHONE));
        apply(order("t10", "order.paid", "tmall", t(13), new Order("T-2", null, "CNY", 100, List.of()), OUID, PHONE));

        assertThat(Set.of(view(OPENID).id(), view(CARD).id(), view(OUID).id())).isEqualTo(split);
        assertThat(activeCustomers()).isEqualTo(3);
        assertThat(view(CARD).timeline()).extracting(TimelineEntry::eventId).contains("p10");
        assertThat(view(OUID).timeline()).extracting(TimelineEntry::eventId).contains("t10");
    }

    @Test
    void eventsInTheSameBatchAfterTheWithdrawalGoToTheirPlatformsProfile() throws Exception {
        linkedAcrossThreePlatforms();

        BatchResult r = apply(stated("w9", "wechat", t(10), new Consent(false, null), OPENID),
                order("p10", "store.purchased", "pos", t(11), new Order("R-2", null, "CNY", 100, List.of()), CARD, PHONE),
                msg("w10", "wechat", t(12), "hello", OPENID, PHONE));

        assertThat(r.outcomes()).extracting(BatchResult.Outcome::status).containsOnly(BatchResult.Status.APPLIED);
        assertThat(activeCustomers()).isEqualTo(3);
        assertThat(r.outcomes().get(1).customerId()).isEqualTo(view(CARD).id()).isNotEqualTo(view(OPENID).id());
        assertThat(r.outcomes().get(2).customerId()).isEqualTo(view(OPENID).id());
        assertThat(view(CARD).orders().count()).isEqualTo(2);
    }

    @Test
    void profilesThatMergedAcrossPlatformsComeApartToo() {
        String buyer = apply(order("t1", "order.paid", "tmall", t(0), new Order("T-1", null, "CNY", 100, List.of()), OUID)).outcomes().get(0).customerId();
        String follower = apply(msg("w1", "wechat", t(1), "hi", OPENID, PHONE)).outcomes().get(0).customerId();
        apply(event("t2", "profile.updated", "tmall", t(2), OUID, PHONE).build()); // the Tmall buyer verifies the phone: joined
        assertThat(view(OPENID).id()).isEqualTo(view(OUID).id());

        apply(stated("t9", "tmall", t(10), new Consent(false, null), OUID));

        // the Tmall profile stays with the withdrawal, the WeChat profile it had merged comes back
        assertThat(view(OUID).id()).isEqualTo(buyer);
        assertThat(view(OPENID).id()).isEqualTo(follower);
        assertThat(core.customer(follower).orElseThrow().id()).isEqualTo(follower);
        assertThat(view(OUID).timeline()).extracting(TimelineEntry::eventId).containsExactlyInAnyOrder("t9", "t2", "t1");
        assertThat(view(OPENID).timeline()).extracting(TimelineEntry::eventId).containsExactly("w1");
        assertThat(view(OPENID).consent().crossChannelLinking()).isFalse();
        assertThat(core.merges(follower)).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("event");
            assertThat(m.undoneReason()).isEqualTo(LinkingWithdrawal.REASON);
        });
        apply(event("t10", "profile.updated", "tmall", t(11), OUID, PHONE).build());
        assertThat(view(OPENID).id()).isNotEqualTo(view(OUID).id());
    }

    @Test
    void aProfileOnOnePlatformOnlyIsNotSplitByAWithdrawal() throws Exception {
        apply(msg("w1", "wechat", t(0), "hi", OPENID, PHONE));

        apply(stated("w9", "wechat", t(10), new Consent(false, null), OPENID));

        assertThat(activeCustomers()).isEqualTo(1);
        assertThat(count("select count(*) from crm_merge_audit")).isZero();
    }
}
