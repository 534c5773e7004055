package io.omnihub.hub.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.Identity;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.hub.HubProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code hub.identity.*} as the CRM core's identity policy sees it. */
class IdentityPolicySettingsTest {

    @Test
    void blockedTestNumberAndChangedLimitsReachThePolicy() {
        HubProperties.Identity settings = new HubProperties.Identity();
        settings.setBlockedValues(Map.of("phone", List.of("+8613800000000"), "member_card", List.of("DEMO-1", "DEMO-2")));
        settings.setTypes(Map.of("device_id", Map.of("max-per-profile", "5"), "email", Map.of("linkable", "false")));

        IdentityPolicy policy = CrmConfiguration.identityPolicy(settings);

        assertThat(policy.isBlocked(new Identity("phone", "+8613800000000", null))).isTrue();
        assertThat(policy.isBlocked(new Identity("phone", "+8613912345678", null))).isFalse();
        assertThat(policy.isBlocked(new Identity("member_card", "demo-2", null))).isTrue();
        assertThat(policy.rule("device_id").maxPerProfile()).isEqualTo(5);
        assertThat(policy.rule("email").linkable()).isFalse();
        assertThat(policy.rule("phone").priority()).isEqualTo(IdentityPolicy.defaults().rule("phone").priority());
    }

    @Test
    void noSettingsMeanTheCoreDefaults() {
        IdentityPolicy policy = CrmConfiguration.identityPolicy(new HubProperties.Identity());

        assertThat(policy.rules()).isEqualTo(IdentityPolicy.defaults().rules());
    }
}
