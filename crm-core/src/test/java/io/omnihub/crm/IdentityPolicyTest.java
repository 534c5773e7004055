package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.event.Identity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityPolicyTest {

    private final IdentityPolicy defaults = IdentityPolicy.defaults();

    @Test
    void defaultsAreDocumented() {
        assertThat(defaults.rule("wechat_unionid")).isEqualTo(new IdentityRule(true, 100, 1, true, "wechat"));
        assertThat(defaults.rule("phone")).isEqualTo(new IdentityRule(true, 90, 3, true, "global"));
        assertThat(defaults.rule("wecom_external_userid").maxPerProfile()).isEqualTo(5);
        assertThat(defaults.rule("wechat_openid").maxPerProfile()).isEqualTo(1);
        assertThat(defaults.rule("device_id")).isEqualTo(new IdentityRule(true, 10, 2, true, "global"));
        assertThat(defaults.channelOf("tmall_ouid")).isEqualTo("tmall");
        assertThat(defaults.channelOf("doudian_openid")).isEqualTo("douyin");
        assertThat(defaults.channelOf("member_card")).isEqualTo("pos");
        assertThat(defaults.channelOf("erp_customer")).isEqualTo("erp");
        assertThat(defaults.channelOf("email")).isEqualTo("global");
        // unknown types: default rule, channel from the prefix
        assertThat(defaults.rule("jd_pin")).isEqualTo(new IdentityRule(true, 20, 1, true, "jd"));
    }

    @Test
    void blockedValues() {
        for (String v : List.of("", "0", "000000", "--", "0-0", "null", "NULL", "undefined", "Anonymous", "unknown")) {
            assertThat(defaults.isBlocked(Identity.of("member_card", v))).as(v).isTrue();
        }
        assertThat(defaults.isBlocked(Identity.of("member_card", "M-100"))).isFalse();
        assertThat(defaults.isBlocked(Identity.of("phone", "+8600000000000"))).isTrue();
        assertThat(defaults.isBlocked(Identity.phone("13800000000"))).isFalse();

        IdentityPolicy p = IdentityPolicy.builder().blockValue("phone", "13800000000").blockPattern("email", ".*@example\\.com").build();
        assertThat(p.isBlocked(Identity.phone("+86 138 0000 0000"))).isTrue();
        assertThat(p.isBlocked(Identity.of("email", "a@example.com"))).isTrue();
        assertThat(p.isBlocked(Identity.of("member_card", "13800000000"))).isFalse();
    }

    @Test
    void normalization() {
        assertThat(defaults.normalize(Identity.of("email", " Li.Lei@Example.COM "))).contains(Identity.of("email", "li.lei@example.com"));
        assertThat(defaults.normalize(Identity.of("phone", "138-0013-8000"))).contains(Identity.of("phone", "+8613800138000"));
        assertThat(defaults.normalize(Identity.of("phone", "call me"))).isEmpty();
        assertThat(defaults.normalize(Identity.of("email", "nobody"))).isEmpty();
        assertThat(defaults.normalize(Identity.of("member_card", "x".repeat(300)))).isEmpty();
    }

    @Test
    void strongestIsTheHighestPriorityLinkableUnblockedIdentity() {
        Identity openid = Identity.of("wechat_openid", "o-1", "wx1");
        Identity unionid = Identity.of("wechat_unionid", "u-1");
        Identity device = Identity.of("device_id", "d-1");
        assertThat(defaults.strongest(List.of(device, openid, unionid))).contains(unionid);
        assertThat(defaults.strongest(List.of(device, openid))).contains(openid);
        assertThat(defaults.strongest(List.of(Identity.of("wechat_unionid", "null"), openid))).contains(openid);
        assertThat(IdentityPolicy.builder().linkable("device_id", false).build().strongest(List.of(device))).isEmpty();
        assertThat(defaults.strongest(List.of(Identity.of("phone", "13800138000")))).contains(Identity.of("phone", "+8613800138000"));
        assertThat(defaults.strongest(List.of())).isEmpty();
    }

    @Test
    void fromProperties() {
        IdentityPolicy p = IdentityPolicy.fromProperties(Map.of(
                "types.phone.priority", "95",
                "types.phone.blocked-values", "+8613800000000, 13900000000",
                "types.device_id.linkable", "false",
                "types.jd_pin.maxPerProfile", "2",
                "types.jd_pin.channel", "jd",
                "blocked-values", "test",
                "blocked-patterns", "^x+$;^y+$",
                "default.priority", "15"));
        assertThat(p.rule("phone").priority()).isEqualTo(95);
        assertThat(p.rule("phone").maxPerProfile()).isEqualTo(3);
        assertThat(p.isBlocked(Identity.phone("13800000000"))).isTrue();
        assertThat(p.isBlocked(Identity.phone("+8613900000000"))).isTrue();
        assertThat(p.rule("device_id").linkable()).isFalse();
        assertThat(p.rule("jd_pin")).isEqualTo(new IdentityRule(true, 15, 2, true, "jd"));
        assertThat(p.rule("other").priority()).isEqualTo(15);
        assertThat(p.isBlocked(Identity.of("email", "TEST"))).isTrue();
        assertThat(p.isBlocked(Identity.of("member_card", "yyy"))).isTrue();
        assertThat(p.isBlocked(Identity.of("member_card", "null"))).isTrue(); // defaults kept
        assertThatThrownBy(() -> IdentityPolicy.fromProperties(Map.of("types.phone.prio", "1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentityPolicy.fromProperties(Map.of("types.phone.priority", "high")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
