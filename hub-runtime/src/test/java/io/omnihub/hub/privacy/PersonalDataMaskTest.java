package io.omnihub.hub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.crm.ConsentView;
import io.omnihub.crm.CustomerView;
import io.omnihub.crm.IdentityView;
import io.omnihub.crm.JoinedIdentifier;
import io.omnihub.crm.MergeRecord;
import io.omnihub.crm.OrderSummary;
import io.omnihub.crm.SharedIdentifierView;
import io.omnihub.crm.TimelineEntry;
import io.omnihub.crm.UnlinkedIdentityView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which fields of the customers API are personal, and how they are masked. */
class PersonalDataMaskTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final String OPENID = "oU7bXz3kQ9mN2pL5vR8tY1wA4cE6";

    @Test
    void identityValuesPersonalAttributesAndKnownValuesInTextAreMaskedTheRestIsKept() {
        CustomerView view = new CustomerView("c-1", T,
                List.of(new IdentityView("phone", "+8613912345678", null, T, T, "/connectors/pos/api", "verified"),
                        new IdentityView("wechat_openid", OPENID, "wx1", T, T, "/connectors/wechat/oa", "verified")),
                Map.of("name", "Li Lei", "receiver_address", Map.of("city", "Shanghai", "line", "88 Nanjing Road"), "gender", "male",
                        "productName", "Trail shoe"),
                new ConsentView(true, T, null, null), OrderSummary.EMPTY,
                List.of(new TimelineEntry("e-1", "message.received", T, "/connectors/wechat/oa",
                        Map.of("message", Map.of("kind", "text", "text", "it's me, " + OPENID + ", call 13912345678: Li Lei, 88 Nanjing Road"),
                                "extra", Map.of("buyerNick", "lilei88", "storeId", "S-1"),
                                "unlinked", List.of(Map.of("type", "member_card", "value", "VIP-000123", "reason", "per-profile limit"))))),
                List.of("vip"), Map.of("loyalty", 5L), List.of(),
                List.of(new UnlinkedIdentityView("member_card", "VIP-000123", "acme", "per-profile limit", T, T, "/connectors/pos/api", null)));

        CustomerView masked = PersonalDataMask.customer(view);

        assertThat(masked.identities()).extracting(IdentityView::value).containsExactly("+86*********78", "oU7" + "*".repeat(23) + "E6");
        assertThat(masked.unlinkedIdentities()).extracting(UnlinkedIdentityView::value).containsExactly("VIP*****23");
        assertThat(masked.attributes()).containsEntry("name", "L***").containsEntry("gender", "male")
                .containsEntry("productName", "Trail shoe");
        assertThat(masked.attributes().get("receiver_address").toString()).doesNotContain("Shanghai", "Nanjing");
        Map<String, Object> summary = masked.timeline().get(0).summary();
        assertThat(summary.toString()).doesNotContain(OPENID, "13912345678", "lilei88", "VIP-000123", "Li Lei", "Nanjing Road")
                .contains("S-1", "per-profile limit");
        assertThat(masked.toString()).doesNotContain("Li Lei", "+8613912345678");
        assertThat(masked.tags()).containsExactly("vip");
        assertThat(masked.consent()).isEqualTo(view.consent());
    }

    @Test
    void aNameUnderAChineseFieldIsMaskedThereAndWhereverTheCustomersTextRepeatsIt() {
        CustomerView view = new CustomerView("c-2", T, List.of(), Map.of("姓名", "王芳", "收货地址", "上海市静安区南京西路88号"),
                new ConsentView(null, null, null, null), OrderSummary.EMPTY,
                List.of(new TimelineEntry("e-2", "message.received", T, "/connectors/wechat/oa",
                        Map.of("message", Map.of("kind", "text", "text", "我是王芳，寄到上海市静安区南京西路88号")))),
                List.of(), Map.of(), List.of(), List.of());

        CustomerView masked = PersonalDataMask.customer(view);

        assertThat(masked.attributes()).containsEntry("姓名", "王***");
        assertThat(masked.toString()).doesNotContain("王芳", "南京西路");
        assertThat(masked.timeline().get(0).summary().toString()).contains("我是", "寄到");
    }

    @Test
    void mergesAndSharedIdentifiersShowTheirIdentifiersMasked() {
        MergeRecord merge = new MergeRecord("m-1", "a", "b", "event", "e-1", "linked by event e-1 on phone +8613912345678",
                List.of(new JoinedIdentifier("phone", null, "+8613912345678", "verified", "survivor")), T, null, null);
        SharedIdentifierView shared = new SharedIdentifierView("phone", null, "+8613755556666", "detected", "walk-ins at S-1",
                Map.of("peers", 4, "heldBy", List.of("c-1")), T, null, null, "the manager's mobile 13755556666");

        assertThat(PersonalDataMask.of(List.of(merge)).toString()).doesNotContain("13912345678").contains("+86*********78");
        SharedIdentifierView sharedMasked = (SharedIdentifierView) PersonalDataMask.of(shared);
        assertThat(sharedMasked.value()).isEqualTo("+86*********66");
        assertThat(sharedMasked.note()).doesNotContain("13755556666");
        assertThat(sharedMasked.evidence()).containsEntry("peers", 4);
    }

    @Test
    void answersThatCarryNoCustomerAreLeftAsTheyAre() {
        List<String> plugins = List.of("wechat", "13912345678");
        assertThat(PersonalDataMask.of(plugins)).isSameAs(plugins);
        assertThat(PersonalDataMask.of("text")).isEqualTo("text");
    }

    @Test
    void fieldsNamedForAPersonArePersonalAndNamesOfThingsAreNot() {
        assertThat(List.of("name", "nickName", "receiver_name", "receiverPhone", "FTEL", "email", "buyer_open_uid", "address",
                "memberCard", "external_userid", "unionid", "mobile", "姓名", "收货地址", "手机号", "wechatId", "wxid", "idNumber", "street"))
                .allMatch(PersonalDataMask::personalField);
        assertThat(List.of("gender", "city", "storeId", "productName", "store_name", "skuName", "totalMinor", "birthday", "region"))
                .noneMatch(PersonalDataMask::personalField);
    }
}
