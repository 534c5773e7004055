package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The right of access: everything held about a person, merged profiles included, in one document. */
class CustomerExportTest extends PgTestBase {

    private static final Identity OPENID = Identity.of("wechat_openid", "oExport-openid-0000000000001", "wxapp1").withEvidence(Evidence.VERIFIED);
    private static final Identity PHONE = Identity.phone("+8613912345678").withEvidence(Evidence.VERIFIED);

    @Test
    void theExportHoldsIdentitiesTimelineOrdersAndWhatAMergedProfileBrought() {
        String buyer = apply(order("tm1", "order.paid", "tmall", t(0), new Order("T-1", "PAID", "CNY", 12_900, List.of()),
                Identity.of("tmall_ouid", "ouid-1", "seller1"), PHONE)).outcomes().get(0).customerId();
        apply(msg("w1", "wechat", t(1), "hello", OPENID));
        apply(event("w2", "profile.updated", "wechat", t(2), OPENID, PHONE).attribute("name", "Li Lei").build());
        core.addTag(buyer, "vip");
        core.addScore(buyer, "loyalty", 5);

        CustomerExport.Document export = new CustomerExport(ds, clock).of(buyer).orElseThrow();

        assertThat(export.customerId()).isEqualTo(buyer);
        assertThat(export.profileIds()).hasSize(2).contains(buyer);
        Map<String, List<Map<String, Object>>> s = export.sections();
        assertThat(s.get("identities")).extracting(r -> r.get("type") + ":" + r.get("value"))
                .containsExactlyInAnyOrder("phone:+8613912345678", "tmall_ouid:ouid-1", "wechat_openid:oExport-openid-0000000000001");
        assertThat(s.get("identities")).allSatisfy(r -> assertThat(r).containsKeys("evidence", "firstSeenAt", "source"));
        assertThat(s.get("timeline")).extracting(r -> r.get("eventId")).containsExactly("tm1", "w1", "w2");
        assertThat(s.get("orders")).singleElement().satisfies(o -> {
            assertThat(o).containsEntry("orderId", "T-1").containsEntry("totalMinor", 12_900L);
        });
        assertThat(s.get("tags")).extracting(r -> r.get("tag")).containsExactly("vip");
        assertThat(s.get("scores")).extracting(r -> r.get("name") + "=" + r.get("value")).containsExactly("loyalty=5");
        assertThat(s.get("merges")).singleElement().satisfies(m -> assertThat(m.get("snapshot")).isInstanceOf(Map.class));
        assertThat(s.get("profiles")).anySatisfy(p -> assertThat(String.valueOf(p.get("attributes"))).contains("Li Lei"));
        assertThat(s).containsKeys("unlinkedIdentities", "segments", "enrollments", "actions", "tasks");
    }

    @Test
    void aMergedAwayIdExportsTheSurvivingPersonAndAnUnknownIdNothing() {
        String buyer = apply(msg("p1", "pos", t(0), "hi", PHONE)).outcomes().get(0).customerId();
        String follower = apply(msg("w1", "wechat", t(1), "hi", OPENID)).outcomes().get(0).customerId();
        apply(event("w2", "profile.updated", "wechat", t(2), OPENID, PHONE).build());

        CustomerExport export = new CustomerExport(ds, clock);

        assertThat(export.of(follower)).hasValueSatisfying(d -> assertThat(d.customerId()).isEqualTo(buyer));
        assertThat(export.of("00000000-0000-0000-0000-000000000000")).isEmpty();
        assertThat(export.of("not-an-id")).isEmpty();
    }
}
