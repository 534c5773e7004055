package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrmCoreTest extends PgTestBase {

    @Test
    void firstEventCreatesProfile() throws Exception {
        BatchResult r = apply(msg("wechat:wxapp1:1", "wechat", t(0), "hello", openid("o-1")));

        assertThat(r.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(BatchResult.Status.APPLIED);
            assertThat(o.customerId()).isNotNull();
        });
        CustomerView v = core.customer(r.outcomes().get(0).customerId()).orElseThrow();
        assertThat(v.identities()).singleElement().satisfies(i -> {
            assertThat(i.type()).isEqualTo("wechat_openid");
            assertThat(i.value()).isEqualTo("o-1");
            assertThat(i.namespace()).isEqualTo("wxapp1");
            assertThat(i.source()).isEqualTo("/connectors/wechat/main");
            assertThat(i.firstSeenAt()).isEqualTo(t(0));
        });
        assertThat(v.timeline()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("message.received");
            assertThat(e.time()).isEqualTo(t(0));
            assertThat(e.summary()).extractingByKey("message").asString().contains("hello");
        });
        assertThat(v.mergedIds()).isEmpty();
        assertThat(activeCustomers()).isEqualTo(1);
        assertThat(count("select count(*) from crm_processed_event")).isEqualTo(1);
    }

    @Test
    void secondEventWithSameOpenidLandsOnSameCustomer() throws Exception {
        String c1 = apply(msg("e1", "wechat", t(0), "hi", openid("o-1"))).outcomes().get(0).customerId();
        String c2 = apply(msg("e2", "wechat", t(1), "again", openid("o-1"))).outcomes().get(0).customerId();

        assertThat(c2).isEqualTo(c1);
        CustomerView v = core.customer(c1).orElseThrow();
        assertThat(v.timeline()).extracting(TimelineEntry::eventId).containsExactly("e2", "e1");
        assertThat(v.identities()).singleElement().satisfies(i -> assertThat(i.lastSeenAt()).isEqualTo(t(1)));
        assertThat(activeCustomers()).isEqualTo(1);
    }

    @Test
    void duplicateEventIdChangesNothing() throws Exception {
        CustomerEvent e = event("e1", "profile.updated", "wechat", t(0), openid("o-1")).attribute("city", "Shanghai").build();
        String cid = apply(e).outcomes().get(0).customerId();
        CustomerView before = core.customer(cid).orElseThrow();

        // the same id again, even with different content and in a batch that repeats it
        CustomerEvent again = event("e1", "profile.updated", "wechat", t(5), openid("o-1"), phone("13800138000"))
                .attribute("city", "Beijing").build();
        BatchResult r = apply(again, again);

        assertThat(r.outcomes()).extracting(BatchResult.Outcome::status)
                .containsExactly(BatchResult.Status.DUPLICATE, BatchResult.Status.DUPLICATE);
        assertThat(r.outcomes().get(0).customerId()).isEqualTo(cid);
        assertThat(core.customer(cid).orElseThrow()).isEqualTo(before);

        // within one batch: the first applies, the second is a duplicate
        CustomerEvent n = msg("e2", "wechat", t(6), "x", openid("o-1"));
        assertThat(apply(n, n).outcomes()).extracting(BatchResult.Outcome::status)
                .containsExactly(BatchResult.Status.APPLIED, BatchResult.Status.DUPLICATE);
        assertThat(core.customer(cid).orElseThrow().timeline()).hasSize(2);
    }

    @Test
    void identityLinkedAttachesWithoutTimelineEntry() {
        String cid = apply(msg("e1", "wechat", t(0), "hi", openid("o-1"))).outcomes().get(0).customerId();

        BatchResult r = apply(event("link:o-1", "identity.linked", "wechat", t(1), openid("o-1"), unionid("u-1")).build());

        assertThat(r.outcomes().get(0).customerId()).isEqualTo(cid);
        CustomerView v = core.customer(cid).orElseThrow();
        assertThat(v.identities()).extracting(IdentityView::type).containsExactly("wechat_openid", "wechat_unionid");
        assertThat(v.timeline()).extracting(TimelineEntry::eventId).containsExactly("e1");
        assertThat(view(unionid("u-1")).id()).isEqualTo(cid);

        // a later event from another channel with the unionid and a phone lands on the same customer
        String wecom = apply(event("wecom:1", "customer.followed", "wecom", t(2),
                Identity.of("wecom_external_userid", "wm-1", "corp1"), unionid("u-1"), phone("138 0013 8001")).build())
                .outcomes().get(0).customerId();
        assertThat(wecom).isEqualTo(cid);
        assertThat(view(phone("+8613800138001")).id()).isEqualTo(cid);
        assertThat(core.findByIdentity("phone", "13800138001", null)).map(CustomerView::id).contains(cid);
        assertThat(core.customer(cid).orElseThrow().identities()).hasSize(4);
    }

    @Test
    void eventJoiningTwoProfilesMergesIntoOldestAndUnmergeRestores() throws Exception {
        String older = apply(event("e1", "profile.updated", "wechat", t(0), openid("o-1"))
                .attribute("name", "Li Lei").attribute("city", "Shanghai").build()).outcomes().get(0).customerId();
        String younger = apply(order("tm1", "order.paid", "tmall", t(1), new Order("T-1", "PAID", "CNY", 12_900, List.of()),
                ouid("buyer-1"), phone("13800138002"))).outcomes().get(0).customerId();
        core.addTag(younger, "tmall-buyer");
        core.addScore(younger, "intent", 20);
        core.addScore(older, "intent", 5);
        apply(event("e2", "profile.updated", "tmall", t(2), ouid("buyer-1")).attribute("city", "Hangzhou").build());
        assertThat(younger).isNotEqualTo(older);

        // a WeChat event states the phone: both profiles are the same person
        BatchResult r = apply(msg("e3", "wechat", t(3), "my phone", openid("o-1"), phone("13800138002")));

        assertThat(r.outcomes().get(0).customerId()).isEqualTo(older);
        assertThat(activeCustomers()).isEqualTo(1);
        CustomerView merged = core.customer(younger).orElseThrow();   // the alias resolves
        assertThat(merged.id()).isEqualTo(older);
        assertThat(merged.mergedIds()).containsExactly(younger);
        assertThat(merged.identities()).extracting(IdentityView::type).containsExactlyInAnyOrder("wechat_openid", "tmall_ouid", "phone");
        assertThat(merged.timeline()).extracting(TimelineEntry::eventId).containsExactly("e3", "e2", "tm1", "e1");
        assertThat(merged.orders().count()).isEqualTo(1);
        assertThat(merged.attributes()).containsEntry("name", "Li Lei").containsEntry("city", "Hangzhou");
        assertThat(merged.tags()).containsExactly("tmall-buyer");
        assertThat(merged.scores()).containsEntry("intent", 25L);
        assertThat(view(ouid("buyer-1")).id()).isEqualTo(older);

        List<MergeRecord> audits = core.merges(older);
        assertThat(audits).singleElement().satisfies(m -> {
            assertThat(m.survivingId()).isEqualTo(older);
            assertThat(m.mergedId()).isEqualTo(younger);
            assertThat(m.evidenceEventId()).isEqualTo("e3");
            assertThat(m.undoneAt()).isNull();
        });
        assertThat(count("select count(*) from crm_merge_audit")).isEqualTo(1);
        assertThat(count("select count(*) from crm_customer_alias")).isEqualTo(1);

        // undo
        MergeRecord undone = core.unmerge(audits.get(0).id());
        assertThat(undone.undoneAt()).isNotNull();
        assertThat(activeCustomers()).isEqualTo(2);
        CustomerView a = core.customer(older).orElseThrow();
        CustomerView b = core.customer(younger).orElseThrow();
        assertThat(b.id()).isEqualTo(younger);
        assertThat(a.identities()).extracting(IdentityView::type).containsExactly("wechat_openid");
        assertThat(b.identities()).extracting(IdentityView::type).containsExactlyInAnyOrder("tmall_ouid", "phone");
        assertThat(a.timeline()).extracting(TimelineEntry::eventId).containsExactly("e3", "e1");
        assertThat(b.timeline()).extracting(TimelineEntry::eventId).containsExactly("e2", "tm1");
        assertThat(b.orders().count()).isEqualTo(1);
        assertThat(a.orders().count()).isZero();
        assertThat(a.attributes()).containsEntry("city", "Shanghai");
        assertThat(b.attributes()).containsEntry("city", "Hangzhou");
        assertThat(a.tags()).isEmpty();
        assertThat(b.tags()).containsExactly("tmall-buyer");
        assertThat(a.scores()).containsEntry("intent", 5L);
        assertThat(b.scores()).containsEntry("intent", 20L);
        assertThat(a.mergedIds()).isEmpty();
        assertThatThrownBy(() -> core.unmerge(audits.get(0).id())).isInstanceOf(IllegalStateException.class);

        // the same evidence again does not glue them back together
        apply(msg("e4", "wechat", t(4), "again", openid("o-1"), phone("13800138002")));
        assertThat(activeCustomers()).isEqualTo(2);
        assertThat(view(openid("o-1")).id()).isNotEqualTo(view(ouid("buyer-1")).id());

        // an operator can still merge them by hand
        MergeRecord manual = core.merge(younger, older, "operator said so");
        assertThat(manual.survivingId()).isEqualTo(older);
        assertThat(activeCustomers()).isEqualTo(1);
    }

    @Test
    void mergeOfThreeProfilesKeepsTheOldest() throws Exception {
        String a = apply(msg("a", "wechat", t(0), "a", openid("o-a"))).outcomes().get(0).customerId();
        String b = apply(msg("b", "tmall", t(1), "b", ouid("t-b"))).outcomes().get(0).customerId();
        String c = apply(msg("c", "pos", t(2), "c", card("m-c"))).outcomes().get(0).customerId();

        // listed youngest first: the oldest still survives
        String s = apply(event("link", "identity.linked", "erp", t(3), card("m-c"), ouid("t-b"), openid("o-a")).build())
                .outcomes().get(0).customerId();

        assertThat(s).isEqualTo(a);
        assertThat(core.customer(c).orElseThrow().id()).isEqualTo(a);
        assertThat(core.customer(a).orElseThrow().mergedIds()).containsExactlyInAnyOrder(b, c);
        assertThat(core.customer(a).orElseThrow().timeline()).hasSize(3);
        assertThat(activeCustomers()).isEqualTo(1);
    }

    @Test
    void attributesAndConsentTakeTheMostRecentStatement() {
        String cid = apply(event("e2", "profile.updated", "wechat", t(10), openid("o-1")).attribute("city", "Beijing").build())
                .outcomes().get(0).customerId();
        // an older statement arriving late loses; an empty value never overwrites
        apply(event("e1", "profile.updated", "wechat", t(5), openid("o-1")).attribute("city", "Shanghai").attribute("name", "Han Meimei").build(),
                event("e3", "profile.updated", "wechat", t(11), openid("o-1")).attribute("name", " ").build());
        CustomerView v = core.customer(cid).orElseThrow();
        assertThat(v.attributes()).containsEntry("city", "Beijing").containsEntry("name", "Han Meimei");

        apply(consent("c1", "wechat", t(12), true, openid("o-1")));
        apply(consent("c0", "wechat", t(1), false, openid("o-1")));
        assertThat(core.customer(cid).orElseThrow().consent().crossChannelLinking()).isTrue();
        assertThat(core.customer(cid).orElseThrow().consent().crossChannelLinkingAt()).isEqualTo(t(12));
    }

    @Test
    void orderSummaryAcrossChannelsDoesNotDoubleCountStatusChanges() {
        Identity ph = phone("13800138003");
        String cid = apply(
                order("tm:T-1:created", "order.created", "tmall", t(0), new Order("T-1", "WAIT_BUYER_PAY", "CNY", 19_900, List.of()), ouid("b1"), ph),
                order("tm:T-1:paid", "order.paid", "tmall", t(1), new Order("T-1", "WAIT_SELLER_SEND_GOODS", "CNY", 19_900, List.of()), ouid("b1")),
                order("tm:T-1:shipped", "order.shipped", "tmall", t(2), new Order("T-1", "WAIT_BUYER_CONFIRM_GOODS", "CNY", 19_900, List.of()), ouid("b1")))
                .outcomes().get(0).customerId();
        apply(order("pos:P-9", "store.purchased", "pos", t(30), new Order("P-9", "DONE", "CNY", 5_050,
                        List.of(new Order.OrderLine("sku1", "Shoe", 1, 5_050))), card("m-1"), ph),
                order("dd:D-1:paid", "order.paid", "douyin", t(40), new Order("D-1", "2", "CNY", 1_000, List.of()),
                        Identity.of("doudian_openid", "dd-1", "shop1"), ph),
                order("dd:D-1:cancel", "order.cancelled", "douyin", t(41), new Order("D-1", "4", "CNY", 1_000, List.of()),
                        Identity.of("doudian_openid", "dd-1", "shop1")),
                // a late, older status must not revive the cancelled order
                order("dd:D-1:created", "order.created", "douyin", t(39), new Order("D-1", "1", "CNY", 1_000, List.of()),
                        Identity.of("doudian_openid", "dd-1", "shop1")),
                order("hk:H-1", "order.paid", "tmall", t(50), new Order("H-1", "PAID", "HKD", 3_000, List.of()), ouid("b1")));

        CustomerView v = core.customer(cid).orElseThrow();
        assertThat(v.orders().count()).isEqualTo(4);
        assertThat(v.orders().totalMinorByCurrency()).containsEntry("CNY", 19_900L + 5_050L).containsEntry("HKD", 3_000L).hasSize(2);
        assertThat(v.orders().firstOrderAt()).isEqualTo(t(0));
        assertThat(v.orders().lastOrderAt()).isEqualTo(t(50));
        assertThat(v.orders().channels()).containsExactly("douyin", "pos", "tmall");
        assertThat(v.timeline()).hasSize(8);
        assertThat(summary(v, "pos:P-9")).extractingByKey("order").asString().contains("P-9").contains("5050");

        // refund takes the order out of the total
        apply(order("tm:T-1:refund", "order.refunded", "tmall", t(60), new Order("T-1", "TRADE_CLOSED", "CNY", 19_900, List.of()), ouid("b1")));
        assertThat(core.customer(cid).orElseThrow().orders().totalMinorByCurrency()).containsEntry("CNY", 5_050L);
        assertThat(core.customer(cid).orElseThrow().orders().count()).isEqualTo(4);
    }

    @Test
    void badEventDoesNotSinkTheBatch() throws Exception {
        CustomerEvent good1 = msg("g1", "wechat", t(0), "a", openid("o-1"));
        CustomerEvent blocked = msg("b1", "wechat", t(1), "b", Identity.of("wechat_openid", "null", "wxapp1"), Identity.of("phone", "00000"));
        CustomerEvent good2 = msg("g2", "wechat", t(2), "c", openid("o-2"));

        BatchResult r = apply(good1, blocked, good2);

        assertThat(r.outcomes()).extracting(BatchResult.Outcome::status)
                .containsExactly(BatchResult.Status.APPLIED, BatchResult.Status.REJECTED, BatchResult.Status.APPLIED);
        assertThat(r.outcomes().get(1).reason()).contains("every identity is blocked or invalid");
        assertThat(activeCustomers()).isEqualTo(2);
        assertThat(count("select count(*) from crm_processed_event")).isEqualTo(2);
    }

    @Test
    void eventTheDatabaseRefusesIsIsolated() throws Exception {
        // valid for Java, out of range for PostgreSQL's timestamptz: only the database can tell
        OffsetDateTime farFuture = OffsetDateTime.of(295_000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        CustomerEvent bad = CustomerEvent.builder("bad", "message.received").source("wechat", "main")
                .time(farFuture).receivedAt(Instant.now()).identity(openid("o-9")).build();

        BatchResult r = apply(msg("g1", "wechat", t(0), "a", openid("o-1")), bad, msg("g2", "wechat", t(1), "b", openid("o-1")));

        assertThat(r.outcomes()).extracting(BatchResult.Outcome::status)
                .containsExactly(BatchResult.Status.APPLIED, BatchResult.Status.REJECTED, BatchResult.Status.APPLIED);
        assertThat(r.outcomes().get(1).reason()).contains("database rejected");
        assertThat(view(openid("o-1")).timeline()).hasSize(2);
        assertThat(core.findByIdentity("wechat_openid", "o-9", "wxapp1")).isEmpty();
    }

    @Test
    void databaseOutageThrows() {
        javax.sql.DataSource down = new org.postgresql.ds.PGSimpleDataSource();
        ((org.postgresql.ds.PGSimpleDataSource) down).setURL("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=1");
        CrmCore broken = new CrmCore(down, IdentityPolicy.defaults(), clock);
        assertThatThrownBy(() -> broken.apply(List.of(msg("x", "wechat", t(0), "a", openid("o-1")))))
                .isInstanceOf(CrmException.class);
    }

    @Test
    void unknownIdsGiveNothing() {
        assertThat(core.customer("not-a-uuid")).isEmpty();
        assertThat(core.customer("0190a6f0-0000-7000-8000-000000000000")).isEmpty();
        assertThat(core.findByIdentity("phone", "+8613900000001", null)).isEmpty();
        assertThat(core.findByIdentity("phone", "garbage", null)).isEmpty();
        assertThat(core.apply(List.of()).outcomes()).isEmpty();
    }
}
