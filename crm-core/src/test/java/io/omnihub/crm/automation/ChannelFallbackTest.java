package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sends that name a channel preference list: fallback on a missing identity or channel consent, guards across the list. */
class ChannelFallbackTest extends AutomationTestBase {

    /** WeChat first, then WeCom through the salesperson, then SMS; a marketing message of campaign spring-sale. */
    static final String SPRING = """
            rules:
              - id: spring
                on: [profile.updated]
                then:
                  - send:
                      campaign: spring-sale
                      prefer:
                        - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                            payload: { template_id: SPRING } }
                        - { connector: wechat, instance: brand-work, kind: wecom.customer-message, recipient: wecom_external_userid,
                            payload: { sender: sales-01, text: spring } }
                        - { connector: sms, instance: aliyun, kind: sms.send, recipient: phone,
                            payload: { template_code: SMS_1, params: { name: "{{ customer.attributes[?'name'].orValue('') }}" } } }
            """;

    /** Like SPRING without a campaign, so that only caps limit how often it goes. */
    static final String PROMO = SPRING.replace("campaign: spring-sale", "marketing: true").replace("id: spring", "id: promo");

    int phoneSeq;

    CustomerEvent.Builder byPhone(String type, String phone) {
        return CustomerEvent.builder("phone:" + (++phoneSeq), type).source("shop", "web").time(clock.instant())
                .receivedAt(clock.instant()).identity(Identity.of("phone", phone, null));
    }

    /** A customer known by openid and phone, who consented to marketing. */
    String reachableEverywhere(String openid, String phone) {
        return customerOf(apply(event("consent.changed", openid).identity(Identity.of("phone", phone, null))
                .attribute("name", "Li").consent(new Consent(null, true)).build()));
    }

    @Test
    void aCustomerWithoutAnOpenidGetsTheSmsAndTheActionSaysWhy() {
        define(SPRING);
        String c = customerOf(apply(byPhone("consent.changed", "+8613900000001").attribute("name", "Li")
                .consent(new Consent(null, true)).build()));
        apply(byPhone("profile.updated", "+8613900000001").build());

        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.connector()).isEqualTo("sms");
            assertThat(a.kind()).isEqualTo("sms.send");
            assertThat(a.recipient()).isEqualTo(Identity.of("phone", "+8613900000001", null));
            assertThat(a.payload()).containsEntry("template_code", "SMS_1");
        });
        assertThat(actions(c)).singleElement().satisfies(a -> assertThat(a.reason())
                .isEqualTo("fallback: wechat: no wechat_openid; wecom: no wecom_external_userid"));
    }

    @Test
    void theFirstChannelThatCanReachTheCustomerWinsOverTheOneTheyUseMost() {
        define(SPRING);
        String c = reachableEverywhere("o-first", "+8613900000002");
        for (int i = 0; i < 3; i++) {
            apply(byPhone("message.received", "+8613900000002").source("sms", "aliyun").build());
        }
        apply(event("profile.updated", "o-first").build());

        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("wechat.template"));
        assertThat(actions(c)).singleElement().satisfies(a -> assertThat(a.reason()).isNull());
    }

    @Test
    void aChannelsOwnWithdrawalSendsTheMessageDownTheListAndItsOwnConsentWinsOverTheBlanketOne() {
        define(SPRING);
        String declinedWeChat = reachableEverywhere("o-nowechat", "+8613900000003");
        apply(event("consent.changed", "o-nowechat").consent(Consent.channelMarketing("wechat", false)).build());
        apply(event("profile.updated", "o-nowechat").build());
        // never stated blanket marketing consent, but said yes to SMS: under explicit consent, SMS may go
        String smsOnly = customerOf(apply(byPhone("consent.changed", "+8613900000004")
                .consent(Consent.channelMarketing("sms", true)).build()));
        apply(event("customer.followed", "o-smsonly").identity(Identity.of("phone", "+8613900000004", null)).build());
        apply(event("profile.updated", "o-smsonly").build());

        assertThat(drain()).extracting(a -> a.customerId() + " " + a.kind())
                .containsExactlyInAnyOrder(declinedWeChat + " sms.send", smsOnly + " sms.send");
        assertThat(actions(declinedWeChat)).singleElement().satisfies(a -> assertThat(a.reason())
                .isEqualTo("fallback: wechat: the customer declined marketing on wechat; wecom: no wecom_external_userid"));
        assertThat(actions(smsOnly)).singleElement().satisfies(a -> assertThat(a.reason())
                .isEqualTo("fallback: wechat: the customer never gave marketing consent; wecom: no wecom_external_userid"));
    }

    @Test
    void aCustomerRefusedOnEveryOptionGetsOneSuppressedActionSayingWhyPerOption() {
        define(SPRING);
        String c = customerOf(apply(byPhone("consent.changed", "+8613900000005").consent(new Consent(null, true)).build()));
        apply(byPhone("consent.changed", "+8613900000005").consent(Consent.channelMarketing("sms", false)).build()); // replied TD
        apply(byPhone("profile.updated", "+8613900000005").build());

        assertThat(drain()).isEmpty();
        assertThat(actions(c)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("suppressed");
            assertThat(a.kind()).isEqualTo("wechat.template");
            assertThat(a.reason()).isEqualTo("consent: wechat: no wechat_openid; wecom: no wecom_external_userid; "
                    + "sms: the customer declined marketing on sms");
        });
    }

    @Test
    void withoutAnyIdentityForTheListTheSuppressionNamesTheMissingRecipients() {
        define(SPRING);
        String c = customerOf(apply(CustomerEvent.builder("mail:1", "profile.updated").source("shop", "web").time(clock.instant())
                .receivedAt(clock.instant()).identity(Identity.of("email", "li@example.com", null)).consent(new Consent(null, true))
                .build()));

        assertThat(drain()).isEmpty();
        assertThat(actions(c)).singleElement().satisfies(a -> assertThat(a.reason())
                .isEqualTo("no recipient: the customer has no wechat_openid or wecom_external_userid or phone"));
    }

    @Test
    void aCampaignThatReachedTheCustomerOnWeChatDoesNotFallBackToSms() {
        define(SPRING);
        String c = reachableEverywhere("o-campaign", "+8613900000006");
        apply(event("profile.updated", "o-campaign").build());
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("wechat.template"));

        // WeChat is out now, SMS could reach them: still one message per campaign
        apply(event("consent.changed", "o-campaign").consent(Consent.channelMarketing("wechat", false)).build());
        apply(event("profile.updated", "o-campaign").build());

        assertThat(drain()).isEmpty();
        assertThat(actions(c)).filteredOn(a -> a.status().equals("suppressed")).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("sms.send");
            assertThat(a.reason()).startsWith("campaign: 'spring-sale' reached the customer already").endsWith("on wechat)");
        });
    }

    @Test
    void capsCountEveryChannelOfTheListAndACappedChoiceIsNotDodgedByFallingBack() {
        define(PROMO);
        String c = reachableEverywhere("o-cap", "+8613900000007");
        apply(event("profile.updated", "o-cap").build());
        apply(event("profile.updated", "o-cap").build());
        apply(event("profile.updated", "o-cap").build()); // a third on WeChat today: over the per-channel cap of 2

        assertThat(drain()).hasSize(2).allSatisfy(a -> assertThat(a.kind()).isEqualTo("wechat.template"));
        assertThat(actions(c)).filteredOn(a -> a.status().equals("suppressed")).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("wechat.template");
            assertThat(a.reason()).isEqualTo("frequency cap: 2 marketing messages per 1 d on wechat");
        });

        // WeChat withdrawn: SMS has its own two a day ...
        apply(event("consent.changed", "o-cap").consent(Consent.channelMarketing("wechat", false)).build());
        apply(event("profile.updated", "o-cap").build());
        apply(event("profile.updated", "o-cap").build());
        assertThat(drain()).hasSize(2).allSatisfy(a -> assertThat(a.kind()).isEqualTo("sms.send"));

        // ... and the next day the weekly cap of 5 counts the WeChat and SMS messages together
        advance(Duration.ofDays(1));
        apply(event("profile.updated", "o-cap").build());
        apply(event("profile.updated", "o-cap").build());
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("sms.send"));
        assertThat(actions(c)).filteredOn(a -> a.status().equals("suppressed")).extracting(ActionRecord::reason)
                .contains("frequency cap: 5 marketing messages per 7 d across channels");
    }

    @Test
    void wechatAndWecomAreCappedApartThoughOneConnectorSendsBoth() {
        define(PROMO);
        String c = customerOf(apply(event("consent.changed", "o-wecom").identity(Identity.of("wecom_external_userid", "wm-1", "ww1"))
                .consent(new Consent(null, true)).build()));
        apply(event("profile.updated", "o-wecom").build());
        apply(event("profile.updated", "o-wecom").build());
        assertThat(drain()).extracting(PlannedAction::kind).containsExactly("wechat.template", "wechat.template");

        // WeChat is at its cap of 2 today, and withdrawn; WeCom, sent by the same connector, has its own cap
        apply(event("consent.changed", "o-wecom").consent(Consent.channelMarketing("wechat", false)).build());
        apply(event("profile.updated", "o-wecom").build());

        assertThat(drain()).extracting(PlannedAction::kind).containsExactly("wecom.customer-message");
        assertThat(actions(c)).noneMatch(a -> a.status().equals("suppressed"));
    }

    @Test
    void aFallbackMessageWaitsForQuietHoursToEnd() {
        define(SPRING);
        clock.set(Instant.parse("2026-03-02T14:30:00Z")); // 22:30 in Shanghai
        String c = customerOf(apply(byPhone("consent.changed", "+8613900000008").consent(new Consent(null, true)).build()));
        apply(byPhone("profile.updated", "+8613900000008").build());

        assertThat(drain()).isEmpty();
        assertThat(actions(c)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("sms.send");
            assertThat(a.notBefore()).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
            assertThat(a.reason()).isEqualTo("quiet hours: deferred to 2026-03-03T00:00:00Z; "
                    + "fallback: wechat: no wechat_openid; wecom: no wecom_external_userid");
        });
        clock.set(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("sms.send"));
    }

    @Test
    void aChannelWithdrawnWhileTheMessageWaitsStopsItAtTheDoorAndOnlyOnThatChannel() {
        define(SPRING);
        clock.set(Instant.parse("2026-03-02T14:30:00Z")); // 22:30 in Shanghai: both wait for 08:00
        String bySms = customerOf(apply(byPhone("consent.changed", "+8613900000009").consent(new Consent(null, true)).build()));
        apply(byPhone("profile.updated", "+8613900000009").build());
        String byWeChat = reachableEverywhere("o-door", "+8613900000010");
        apply(event("profile.updated", "o-door").build());

        clock.set(Instant.parse("2026-03-02T15:00:00Z")); // both reply TD to some text message
        apply(byPhone("consent.changed", "+8613900000009").consent(Consent.channelMarketing("sms", false)).build());
        apply(byPhone("consent.changed", "+8613900000010").consent(Consent.channelMarketing("sms", false)).build());

        clock.set(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.customerId()).isEqualTo(byWeChat);
            assertThat(a.kind()).isEqualTo("wechat.template");
        });
        assertThat(actions(bySms)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("suppressed");
            assertThat(a.reason()).isEqualTo("consent: the customer declined marketing on sms (checked again when it was due to go out)");
        });
    }

    @Test
    void aTdReplyBetweenQueueingAndSendingStopsTheTextMessageRightBeforeItGoesOut() {
        define(SPRING);
        String c = customerOf(apply(byPhone("consent.changed", "+8613900000013").consent(new Consent(null, true)).build()));
        apply(byPhone("profile.updated", "+8613900000013").build());
        PlannedAction queued = drain().get(0);
        assertThat(queued.kind()).isEqualTo("sms.send");

        apply(byPhone("consent.changed", "+8613900000013").consent(Consent.channelMarketing("sms", false)).build());
        ActionOutbox.Clearance clearance = automation.outbox().clearToSend(queued.id());

        assertThat(clearance.send()).isFalse();
        assertThat(clearance.suppressed()).isEqualTo("consent: the customer declined marketing on sms (checked again when it was due to go out)");
        assertThat(actions(c)).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo("suppressed"));
    }

    @Test
    void viaStillPicksTheChannelUsedMostAmongThoseWithConsent() {
        define(SPRING.replace("prefer:", "via:"));
        String c = reachableEverywhere("o-via", "+8613900000011");
        for (int i = 0; i < 3; i++) {
            apply(byPhone("message.received", "+8613900000011").source("sms", "aliyun").build());
        }
        apply(event("profile.updated", "o-via").build());
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("sms.send"));

        // the channel used most is withdrawn: the message goes on the one left (a new campaign, the old one reached them)
        define(PROMO.replace("prefer:", "via:"));
        apply(byPhone("consent.changed", "+8613900000011").consent(Consent.channelMarketing("sms", false)).build());
        apply(event("profile.updated", "o-via").build());
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("wechat.template"));
        assertThat(actions(c)).noneMatch(a -> a.status().equals("suppressed"));
    }

    @Test
    void aServiceMessageFallsBackOnIdentitiesOnly() {
        define(SPRING.replace("campaign: spring-sale", "marketing: false"));
        apply(byPhone("consent.changed", "+8613900000012").consent(new Consent(null, false)).build());
        apply(byPhone("profile.updated", "+8613900000012").build());

        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("sms.send"));
    }

    @Test
    void aJourneyStepFallsBackLikeARule() {
        define("""
                journeys:
                  - id: welcome
                    trigger: { event: customer.followed }
                    steps:
                      - wait: 1h
                      - id: hello
                        send:
                          prefer:
                            - { connector: wechat, instance: brand-oa, kind: wechat.template, recipient: wechat_openid,
                                payload: { template_id: HELLO } }
                            - { connector: email, instance: news, kind: email.send, recipient: email,
                                payload: { subject: Hello, text: Hello } }
                """);
        String c = customerOf(apply(event("customer.followed", "o-journey").identity(Identity.of("email", "li@example.com", null))
                .consent(new Consent(null, true)).build()));
        apply(event("consent.changed", "o-journey").consent(Consent.channelMarketing("wechat", false)).build());
        advance(Duration.ofHours(1));
        fireTimers();

        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("email.send");
            assertThat(a.recipient().value()).isEqualTo("li@example.com");
        });
        assertThat(actions(c)).singleElement().satisfies(a -> assertThat(a.id()).endsWith(":hello"));
    }

    @Test
    void eachSendOptionGoesOutOnTheChannelItsKindNames() {
        assertThat(List.of(SendChannels.of("wechat", "wechat.template"), SendChannels.of("wechat", "wechat.subscribe"),
                SendChannels.of("wechat", "wecom.customer-message"), SendChannels.of("sms", "sms.send"),
                SendChannels.of("email", "email.send"), SendChannels.of("douyin", "douyin.message"),
                SendChannels.of("partner", "notify")))
                .containsExactly("wechat", "wechat", "wecom", "sms", "email", "douyin", "partner");
    }

    @Test
    void aSendTakesEitherViaOrPreferAndAListNeedsAnOption() {
        assertThatThrownBy(() -> define("""
                rules:
                  - id: both
                    on: [profile.updated]
                    then:
                      - send:
                          via: [{ connector: sms, instance: a, kind: sms.send, recipient: phone }]
                          prefer: [{ connector: sms, instance: a, kind: sms.send, recipient: phone }]
                """)).isInstanceOf(DefinitionException.class).hasMessageContaining("either 'via'").hasMessageContaining("not both");
        assertThatThrownBy(() -> define("""
                rules:
                  - id: empty
                    on: [profile.updated]
                    then:
                      - send: { prefer: [] }
                """)).isInstanceOf(DefinitionException.class).hasMessageContaining("'prefer'").hasMessageContaining("at least one option");
    }
}
