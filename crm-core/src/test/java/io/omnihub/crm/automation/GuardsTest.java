package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.Identity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardsTest extends AutomationTestBase {

    /** Every profile.updated with a campaign attribute sends one marketing message on WeChat. */
    static final String PROMO = """
            rules:
              - id: promo
                on: [profile.updated]
                then:
                  - send:
                      via:
                        - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                            payload: { template_id: PROMO } }
            """;

    @Test
    void withoutMarketingConsentNoMarketingMessageIsSentAndTheRefusalIsRecorded() {
        define(PROMO);
        String never = customerOf(apply(event("profile.updated", "o-never").build()));
        String declined = customerOf(apply(event("consent.changed", "o-declined").consent(new Consent(null, false)).build()));
        apply(event("profile.updated", "o-declined").build());

        assertThat(drain()).isEmpty();
        assertThat(actions(never)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("suppressed");
            assertThat(a.reason()).startsWith("consent:").contains("never gave");
        });
        assertThat(actions(declined)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("suppressed");
            assertThat(a.reason()).contains("declined");
        });
    }

    @Test
    void aServiceMessageNeedsNoConsent() {
        define("""
                rules:
                  - id: receipt
                    on: [profile.updated]
                    then:
                      - send:
                          marketing: false
                          via:
                            - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                                payload: { template_id: RECEIPT } }
                """);
        apply(event("profile.updated", "o-service").build());

        assertThat(drain()).hasSize(1);
    }

    @Test
    void perChannelAndCrossChannelCapsHold() {
        define(PROMO);
        String c = customerOf(apply(consenting("o-cap")));
        for (int i = 0; i < 3; i++) {
            apply(event("profile.updated", "o-cap").build());
        }

        assertThat(drain()).hasSize(2);
        assertThat(actions(c)).filteredOn(a -> a.status().equals("suppressed")).singleElement()
                .satisfies(a -> assertThat(a.reason()).contains("frequency cap: 2 marketing messages per 1 d on wechat"));

        // a day later the channel cap has room again; the weekly cap of 5 across channels does not
        for (int day = 1; day <= 3; day++) {
            advance(Duration.ofDays(1));
            apply(event("profile.updated", "o-cap").build());
            apply(event("profile.updated", "o-cap").build());
        }
        assertThat(actions(c).stream().filter(a -> !a.status().equals("suppressed")).count()).isEqualTo(5);
        assertThat(actions(c)).filteredOn(a -> a.reason() != null && a.reason().contains("across channels")).isNotEmpty();
    }

    @Test
    void aMessagePlannedInQuietHoursWaitsUntilTheyEndInTheCustomersTimeZone() {
        define(PROMO);
        // 22:30 in Shanghai
        clock.set(Instant.parse("2026-03-02T14:30:00Z"));
        String shanghai = customerOf(apply(consenting("o-sh")));
        apply(event("profile.updated", "o-sh").build());
        // 22:30 in Shanghai is 15:30 in Berlin: no quiet hours there
        apply(event("profile.updated", "o-berlin").attribute("timezone", "Europe/Berlin").consent(new Consent(null, true)).build());

        List<PlannedAction> now = drain();
        assertThat(now).singleElement().satisfies(a -> assertThat(a.recipient().value()).isEqualTo("o-berlin"));
        assertThat(actions(shanghai)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("planned");
            assertThat(a.notBefore()).isEqualTo(Instant.parse("2026-03-03T00:00:00Z")); // 08:00 Shanghai
            assertThat(a.reason()).startsWith("quiet hours");
        });

        clock.set(Instant.parse("2026-03-02T23:59:59Z"));
        assertThat(drain()).isEmpty();
        clock.set(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.recipient().value()).isEqualTo("o-sh"));
    }

    @Test
    void quietHoursAcrossMidnightAndWithinADay() {
        GuardSettings overnight = GuardSettings.defaults();
        ZoneId sh = ZoneId.of("Asia/Shanghai");
        assertThat(overnight.notBefore(Instant.parse("2026-03-02T12:59:00Z"), sh)).isEqualTo(Instant.parse("2026-03-02T12:59:00Z"));
        assertThat(overnight.notBefore(Instant.parse("2026-03-02T13:00:00Z"), sh)).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(overnight.notBefore(Instant.parse("2026-03-02T19:00:00Z"), sh)).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
        GuardSettings lunch = new GuardSettings(GuardSettings.Consent.EXPLICIT, GuardSettings.Cap.NONE, GuardSettings.Cap.NONE,
                LocalTime.of(12, 0), LocalTime.of(13, 0), sh, "timezone");
        assertThat(lunch.notBefore(Instant.parse("2026-03-02T04:30:00Z"), sh)).isEqualTo(Instant.parse("2026-03-02T05:00:00Z"));
        assertThat(lunch.notBefore(Instant.parse("2026-03-02T05:00:00Z"), sh)).isEqualTo(Instant.parse("2026-03-02T05:00:00Z"));
    }

    @Test
    void oneMessagePerCampaignAcrossChannelsOnTheChannelTheCustomerUsesMost() {
        define("""
                rules:
                  - id: spring-sale
                    on: [profile.updated]
                    then:
                      - send:
                          campaign: spring-sale
                          via:
                            - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                                payload: { template_id: SPRING } }
                            - { connector: douyin, instance: shop, kind: douyin.message, recipient: douyin_openid,
                                payload: { text: spring } }
                """);
        Identity douyin = Identity.of("douyin_openid", "d-1", "ck1");
        String c = customerOf(apply(consenting("o-multi")));
        // the customer talks to the brand on Douyin far more than on WeChat
        for (int i = 0; i < 3; i++) {
            apply(io.omnihub.connector.event.CustomerEvent.builder("douyin:" + i, "message.received").source("douyin", "shop")
                    .time(clock.instant()).receivedAt(clock.instant()).identity(douyin)
                    .identity(Identity.of("wechat_openid", "o-multi", APP)).build());
        }
        apply(event("profile.updated", "o-multi").build());
        apply(event("profile.updated", "o-multi").build());

        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.connector()).isEqualTo("douyin");
            assertThat(a.recipient()).isEqualTo(douyin);
        });
        assertThat(actions(c)).filteredOn(a -> a.status().equals("suppressed")).singleElement()
                .satisfies(a -> assertThat(a.reason()).contains("campaign: 'spring-sale' reached the customer already"));
    }

    @Test
    void aCustomerTheChannelCannotReachIsRecordedAsSuppressed() {
        define(PROMO.replace("recipient: wechat_openid", "recipient: douyin_openid"));
        String c = customerOf(apply(consenting("o-nodouyin")));
        apply(event("profile.updated", "o-nodouyin").build());

        assertThat(drain()).isEmpty();
        assertThat(actions(c)).singleElement().satisfies(a -> assertThat(a.reason()).isEqualTo("no recipient: the customer has no douyin_openid"));
    }
}
