package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.Identity;
import org.junit.jupiter.api.Test;

class GuardsUnlessDeclinedTest extends AutomationTestBase {

    @Override
    GuardSettings guards() {
        GuardSettings d = GuardSettings.defaults();
        return new GuardSettings(GuardSettings.Consent.UNLESS_DECLINED, d.perChannel(), d.allChannels(), d.quietStart(), d.quietEnd(),
                d.defaultZone(), d.zoneAttribute());
    }

    @Test
    void onlyADeclineStopsMarketingWhenConsentIsUnlessDeclined() {
        define(GuardsTest.PROMO);
        apply(event("profile.updated", "o-silent").build());
        apply(event("consent.changed", "o-no").consent(new Consent(null, false)).build());
        apply(event("profile.updated", "o-no").build());

        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.recipient().value()).isEqualTo("o-silent"));
    }

    @Test
    void aChannelDeclinedByASilentCustomerSendsThePreferredMessageDownTheList() {
        define(ChannelFallbackTest.SPRING);
        apply(event("customer.followed", "o-quiet").identity(Identity.of("phone", "+8613900000021", null)).build());
        apply(event("consent.changed", "o-quiet").consent(Consent.channelMarketing("wechat", false)).build());
        apply(event("profile.updated", "o-quiet").build());

        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("sms.send");
            assertThat(a.recipient().value()).isEqualTo("+8613900000021");
        });
    }
}
