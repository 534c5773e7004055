package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
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

    /** PROMO on WeChat, and the same on Douyin for every cart.updated. */
    static final String PROMO_ON_TWO_CHANNELS = PROMO + """
              - id: promo-douyin
                on: [cart.updated]
                then:
                  - send:
                      via:
                        - { connector: douyin, instance: shop, kind: douyin.message, recipient: douyin_openid,
                            payload: { text: promo } }
            """;

    @Test
    void perChannelAndCrossChannelCapsHold() {
        define(PROMO_ON_TWO_CHANNELS);
        String c = customerOf(apply(consenting("o-cap")));
        apply(douyinMessage("o-cap", "d-cap"));
        for (int i = 0; i < 3; i++) {
            apply(event("profile.updated", "o-cap").build());
        }
        apply(cart("o-cap", 100));
        apply(cart("o-cap", 100));

        // two a day on each channel: the third on WeChat is refused, Douyin has its own two
        List<PlannedAction> first = drain();
        assertThat(first).filteredOn(a -> a.connector().equals("wechat")).hasSize(2);
        assertThat(first).filteredOn(a -> a.connector().equals("douyin")).hasSize(2);
        assertThat(actions(c)).filteredOn(a -> a.status().equals("suppressed")).singleElement()
                .satisfies(a -> assertThat(a.reason()).contains("frequency cap: 2 marketing messages per 1 d on wechat"));

        // a day later each channel has room again; the weekly cap of 5 counts both channels together
        advance(Duration.ofDays(1));
        apply(event("profile.updated", "o-cap").build());
        apply(cart("o-cap", 100));
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.connector()).isEqualTo("wechat"));
        assertThat(actions(c)).filteredOn(a -> a.connector().equals("douyin") && a.status().equals("suppressed")).singleElement()
                .satisfies(a -> assertThat(a.reason()).isEqualTo("frequency cap: 5 marketing messages per 7 d across channels"));
        assertThat(actions(c).stream().filter(a -> !a.status().equals("suppressed")).count()).isEqualTo(5);
    }

    /** A message of the customer on Douyin, which also links their Douyin identity to the WeChat one. */
    CustomerEvent douyinMessage(String openid, String douyinOpenid) {
        return CustomerEvent.builder("douyin:" + (++eventSeq), "message.received").source("douyin", "shop")
                .time(clock.instant()).receivedAt(clock.instant()).identity(Identity.of("douyin_openid", douyinOpenid, "ck1"))
                .identity(Identity.of("wechat_openid", openid, APP)).build();
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

        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.connector()).isEqualTo("douyin");
            assertThat(a.recipient()).isEqualTo(douyin);
        });

        // now the customer uses WeChat most: the campaign would go there, but it reached them on Douyin
        for (int i = 0; i < 4; i++) {
            apply(event("message.received", "o-multi").source("wechat", "brand-oa").build());
        }
        apply(event("profile.updated", "o-multi").build());

        assertThat(drain()).isEmpty();
        assertThat(actions(c)).filteredOn(a -> a.status().equals("suppressed")).singleElement().satisfies(a -> {
            assertThat(a.connector()).isEqualTo("wechat");
            assertThat(a.reason()).contains("campaign: 'spring-sale' reached the customer already").endsWith("on douyin)");
        });
    }

    @Test
    void consentWithdrawnWhileAMessageWaitsForQuietHoursToEndStopsIt() {
        define(PROMO);
        clock.set(Instant.parse("2026-03-02T14:30:00Z")); // 22:30 in Shanghai: planned for 08:00
        String c = customerOf(apply(consenting("o-withdraws")));
        apply(event("profile.updated", "o-withdraws").build());
        assertThat(actions(c)).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo("planned"));

        clock.set(Instant.parse("2026-03-02T15:00:00Z")); // 23:00: the customer withdraws consent
        apply(event("consent.changed", "o-withdraws").consent(new Consent(null, false)).build());

        clock.set(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(drain()).isEmpty();
        assertThat(actions(c)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("suppressed");
            assertThat(a.reason()).startsWith("consent: the customer declined marketing").contains("due to go out");
        });
    }

    @Test
    void consentIsCheckedAgainOnTheProfileTheCustomerWasMergedInto() {
        define(PROMO);
        String older = customerOf(apply(event("customer.followed", "o-older").build()));
        clock.set(Instant.parse("2026-03-02T14:30:00Z"));
        String younger = customerOf(apply(consenting("o-younger")));
        apply(event("profile.updated", "o-younger").build()); // planned for 08:00
        clock.set(Instant.parse("2026-03-02T15:00:00Z"));
        apply(event("consent.changed", "o-older").consent(new Consent(null, false)).build());

        // the same person: the older profile survives, with the later statement, no marketing
        core.merge(younger, older, "same person");
        clock.set(Instant.parse("2026-03-03T00:00:00Z"));

        assertThat(drain()).isEmpty();
        assertThat(actions(younger)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("suppressed");
            assertThat(a.reason()).startsWith("consent: the customer declined marketing");
        });
    }

    @Test
    void aMessageDueBeforeQuietHoursButNotYetQueuedWaitsUntilTheyEnd() {
        define(PROMO);
        clock.set(Instant.parse("2026-03-02T12:55:00Z")); // 20:55 in Shanghai
        String c = customerOf(apply(consenting("o-late")));
        apply(event("profile.updated", "o-late").build());

        clock.set(Instant.parse("2026-03-02T13:05:00Z")); // the outbox gets to it at 21:05
        assertThat(drain()).isEmpty();
        assertThat(actions(c)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("planned");
            assertThat(a.notBefore()).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
            assertThat(a.reason()).startsWith("quiet hours");
        });
        clock.set(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(drain()).hasSize(1);
    }

    @Test
    void campaignsAndCapsCountWhatWasSentToAProfileMergedIntoTheCustomer() {
        define("""
                rules:
                  - id: cart-recovery
                    on: [cart.updated]
                    then:
                      - send:
                          campaign: cart-recovery
                          via:
                            - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                                payload: { template_id: CART } }
                  - id: promo
                    on: [profile.updated]
                    then:
                      - send:
                          via:
                            - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                                payload: { template_id: PROMO } }
                """);
        String phoneProfile = customerOf(apply(consenting("o-phone")));
        advance(Duration.ofSeconds(1));
        String wechatProfile = customerOf(apply(consenting("o-wechat")));
        apply(cart("o-wechat", 100_000));
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.customerId()).isEqualTo(wechatProfile));

        core.merge(wechatProfile, phoneProfile, "same person"); // the phone profile (older) survives
        apply(cart("o-phone", 100_000));
        apply(event("profile.updated", "o-phone").build());     // the second WeChat message today: allowed
        apply(event("profile.updated", "o-phone").build());     // the third: over the cap of 2 a day

        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.payload()).containsEntry("template_id", "PROMO"));
        List<ActionRecord> merged = actions(phoneProfile);
        assertThat(merged).filteredOn(a -> a.status().equals("suppressed")).extracting(ActionRecord::reason).satisfiesExactlyInAnyOrder(
                r -> assertThat(r).startsWith("campaign: 'cart-recovery' reached the customer already"),
                r -> assertThat(r).startsWith("frequency cap: 2 marketing messages per 1 d on wechat"));
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
