package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Blocked values, per-profile limits and consent-aware linking. */
class LinkingRulesTest extends PgTestBase {

    @Override
    IdentityPolicy policy() {
        return IdentityPolicy.builder().blockValue("phone", "+8613800000000").build();
    }

    @Test
    void configuredTestNumberNeverGluesPeople() throws Exception {
        Identity test = phone("13800000000");
        String a = apply(msg("a", "wechat", t(0), "a", openid("o-a"), test)).outcomes().get(0).customerId();
        String b = apply(msg("b", "tmall", t(1), "b", ouid("t-b"), test)).outcomes().get(0).customerId();

        assertThat(a).isNotEqualTo(b);
        assertThat(activeCustomers()).isEqualTo(2);
        assertThat(core.findByIdentity("phone", "+8613800000000", null)).isEmpty();
        // the blocked value stays visible on the timeline entry
        assertThat(summary(core.customer(a).orElseThrow(), "a")).extractingByKey("unlinked").asString()
                .contains("+8613800000000").contains(Unlinked.BLOCKED);

        BatchResult r = apply(msg("c", "pos", t(2), "c", test, Identity.of("member_card", "unknown")));
        assertThat(r.outcomes().get(0).status()).isEqualTo(BatchResult.Status.REJECTED);
        assertThat(r.outcomes().get(0).reason()).contains("blocked").doesNotContain("13800000000");
        assertThat(activeCustomers()).isEqualTo(2);
    }

    @Test
    void sharedDeviceAndPhoneDoNotGlueMemberCards() throws Exception {
        Identity tablet = Identity.of("device_id", "store-tablet-1");
        Identity storePhone = phone("021-5555-0000");
        String[] ids = new String[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = apply(order("pos:" + i, "store.purchased", "pos", t(i), new Order("P-" + i, "DONE", "CNY", 1000 + i, List.of()),
                    card("card-" + i), tablet, storePhone)).outcomes().get(0).customerId();
        }

        assertThat(List.of(ids)).doesNotHaveDuplicates();
        assertThat(activeCustomers()).isEqualTo(5);
        assertThat(count("select count(*) from crm_merge_audit")).isZero();
        for (int i = 0; i < 5; i++) {
            CustomerView v = view(card("card-" + i));
            assertThat(v.id()).isEqualTo(ids[i]);
            assertThat(v.orders().count()).isEqualTo(1);
            assertThat(v.identities()).filteredOn(x -> x.type().equals("member_card")).hasSize(1);
        }
        // the store's landline never links (a fixed line); the tablet seen with three cards is shared
        // and leaves the first shopper, who had it: nobody owns either
        assertThat(view(card("card-0")).identities()).extracting(IdentityView::type).containsExactly("member_card");
        assertThat(view(card("card-3")).unlinkedIdentities())
                .extracting(UnlinkedIdentityView::type, UnlinkedIdentityView::reason)
                .containsExactlyInAnyOrder(tuple("device_id", Unlinked.SHARED), tuple("phone", Unlinked.PHONE_KIND + "fixed_line"));
        assertThat(core.sharedIdentifiers(null, 10)).singleElement().satisfies(sh -> {
            assertThat(sh.type()).isEqualTo("device_id");
            assertThat(sh.status()).isEqualTo("detected");
            assertThat(sh.reason()).isEqualTo("seen with 3 different member_card");
        });

        // the same card on the shared tablet again still goes to its own shopper
        String again = apply(msg("pos:again", "pos", t(10), "x", card("card-3"), tablet)).outcomes().get(0).customerId();
        assertThat(again).isEqualTo(ids[3]);
    }

    @Test
    void limitPerNamespaceAllowsOneOpenidPerApp() throws Exception {
        String a = apply(event("l1", "identity.linked", "wechat", t(0), openid("o-1"), Identity.of("wechat_openid", "o-x", "wxapp2"),
                unionid("u-1")).build()).outcomes().get(0).customerId();
        assertThat(core.customer(a).orElseThrow().identities()).hasSize(3);

        // a second openid of the same app for the same unionid is not linked: the unionid outranks it
        String b = apply(event("l2", "identity.linked", "wechat", t(1), openid("o-2"), unionid("u-1")).build())
                .outcomes().get(0).customerId();
        assertThat(b).isEqualTo(a);
        CustomerView v = core.customer(a).orElseThrow();
        assertThat(v.identities()).hasSize(3);
        assertThat(v.unlinkedIdentities()).singleElement().satisfies(u -> {
            assertThat(u.value()).isEqualTo("o-2");
            assertThat(u.reason()).contains("wechat_openid");
        });
        assertThat(core.findByIdentity("wechat_openid", "o-2", "wxapp1")).isEmpty();
        assertThat(activeCustomers()).isEqualTo(1);
    }

    @Test
    void declinedConsentKeepsChannelsApart() throws Exception {
        Identity ph = phone("13900139000");
        // a WeChat follower declines cross-channel linking and gives a phone
        String wechat = apply(consent("w1", "wechat", t(0), false, openid("o-1"), ph)).outcomes().get(0).customerId();
        // a Tmall buyer with the same phone: must not join the declined WeChat profile
        String tmall = apply(order("t1", "order.paid", "tmall", t(1), new Order("T-1", "PAID", "CNY", 100, List.of()), ouid("b-1"), ph))
                .outcomes().get(0).customerId();

        assertThat(tmall).isNotEqualTo(wechat);
        assertThat(view(ph).id()).isEqualTo(wechat);
        assertThat(core.customer(tmall).orElseThrow().unlinkedIdentities()).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo(Unlinked.CONSENT));

        // an event naming both channel ids does not merge them either
        apply(event("x1", "identity.linked", "erp", t(2), openid("o-1"), ouid("b-1")).build());
        assertThat(activeCustomers()).isEqualTo(2);
        assertThat(count("select count(*) from crm_merge_audit")).isZero();

        // same channel still links: the unionid joins the WeChat profile
        apply(event("w2", "identity.linked", "wechat", t(3), openid("o-1"), unionid("u-1")).build());
        assertThat(view(unionid("u-1")).id()).isEqualTo(wechat);

        // a Tmall event that itself declines does not pick up the WeChat identities
        String tm2 = apply(consent("t2", "tmall", t(4), false, ouid("b-2"), unionid("u-1"))).outcomes().get(0).customerId();
        assertThat(tm2).isNotEqualTo(wechat);

        // consent given again from the WeChat identity lifts the restriction for later links
        apply(consent("w3", "wechat", t(5), true, openid("o-1")));
        apply(event("x2", "identity.linked", "erp", t(6), openid("o-1"), ouid("b-1")).build());
        assertThat(view(ouid("b-1")).id()).isEqualTo(wechat);
    }

    @Test
    void withoutDeclineAPhoneLinksChannels() throws Exception {
        Identity ph = phone("13900139001");
        String wechat = apply(msg("w1", "wechat", t(0), "hi", openid("o-1"), ph)).outcomes().get(0).customerId();
        String tmall = apply(order("t1", "order.paid", "tmall", t(1), new Order("T-1", "PAID", "CNY", 100, List.of()), ouid("b-1"), ph))
                .outcomes().get(0).customerId();
        assertThat(tmall).isEqualTo(wechat);
        assertThat(activeCustomers()).isEqualTo(1);
    }

    @Test
    void nonLinkableTypeIsKeptButNeverMatches() throws Exception {
        core = new CrmCore(ds, IdentityPolicy.builder().linkable("device_id", false).build(), clock);
        String a = apply(msg("a", "wechat", t(0), "a", openid("o-a"), Identity.of("device_id", "d-1"))).outcomes().get(0).customerId();
        String b = apply(msg("b", "tmall", t(1), "b", ouid("t-b"), Identity.of("device_id", "d-1"))).outcomes().get(0).customerId();
        assertThat(a).isNotEqualTo(b);
        assertThat(core.customer(a).orElseThrow().unlinkedIdentities()).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo(Unlinked.NOT_LINKABLE));
        BatchResult r = apply(msg("c", "web", t(2), "c", Identity.of("device_id", "d-1")));
        assertThat(r.outcomes().get(0).status()).isEqualTo(BatchResult.Status.REJECTED);
        assertThat(r.outcomes().get(0).reason()).contains("no linkable identity");
    }
}
