package io.omnihub.connectors.douyin;

import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_KEY;
import static io.omnihub.connectors.douyin.DouyinFixtures.NOW;
import static io.omnihub.connectors.douyin.DouyinFixtures.OPEN_ID;
import static io.omnihub.connectors.douyin.DouyinFixtures.config;
import static io.omnihub.connectors.douyin.DouyinFixtures.openConfig;
import static io.omnihub.connectors.douyin.DouyinFixtures.openRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Coupon;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DouyinNormalizerTest {

    private final DouyinNormalizer normalizer = new DouyinNormalizer("douyin", "brand-dy", config(openConfig()));
    private final List<CustomerEvent> produced = new ArrayList<>();

    @AfterEach
    void everyEventFollowsTheCanonicalSchema() {
        CanonicalEvents.assertValid(produced);
    }

    private CustomerEvent one(String file, String msgId) {
        List<CustomerEvent> events = normalizer.normalize(openRecord(file, msgId));
        produced.addAll(events);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static final Identity WHO = Identity.of(IdentityTypes.DOUYIN_OPENID, OPEN_ID, CLIENT_KEY).withEvidence(Evidence.VERIFIED);

    @Test
    void authorizeFollowsTheAppWithItsScopes() {
        CustomerEvent event = one("authorize.json", "msg-auth-1");

        assertThat(event.type()).isEqualTo(EventTypes.CUSTOMER_FOLLOWED);
        assertThat(event.id()).isEqualTo("douyin:" + CLIENT_KEY + ":msg-auth-1");
        assertThat(event.source()).isEqualTo("/connectors/douyin/brand-dy");
        assertThat(event.data().identities()).containsExactly(WHO);
        assertThat(event.data().extra()).containsEntry("event", "authorize")
                .containsEntry("scopes", List.of("user_info", "im.direct_message"))
                .containsEntry("msgId", "msg-auth-1");
        // No time in the push: the hub's receipt stands in.
        assertThat(event.time().toInstant()).isEqualTo(NOW.plusMillis(250));
    }

    @Test
    void unauthorizeUnfollowsTheApp() {
        CustomerEvent event = one("unauthorize.json", "msg-unauth-1");

        assertThat(event.type()).isEqualTo(EventTypes.CUSTOMER_UNFOLLOWED);
        assertThat(event.data().identities()).containsExactly(WHO);
    }

    @Test
    void privateTextMessageIsReceivedWithItsChineseTextAndNickname() {
        CustomerEvent event = one("im-receive-msg-text.json", "msg-im-1");

        assertThat(event.type()).isEqualTo(EventTypes.MESSAGE_RECEIVED);
        assertThat(event.id()).isEqualTo("douyin:" + CLIENT_KEY + ":im:7339027599950528566");
        assertThat(event.data().message()).isEqualTo(new Message("text", "你好，请问这款跑鞋有 42 码吗？"));
        assertThat(event.data().identities()).containsExactly(WHO);
        assertThat(event.data().attributes()).containsEntry("nickname", "跑步的小王");
        assertThat(event.data().extra()).containsEntry("conversationShortId", "7339027431859716136")
                .containsEntry("serverMessageId", "7339027599950528566")
                .containsEntry("conversationType", "1");
        // create_time is in milliseconds.
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T10:00:00+08:00"));
        assertThat(CanonicalEvents.json(event)).contains("你好，请问这款跑鞋有 42 码吗？");
    }

    @Test
    void privateMessageWhoseContentIsAJsonStringReadsTheSame() {
        CustomerEvent event = one("im-receive-msg-string-content.json", null);

        assertThat(event.data().message()).isEqualTo(new Message("text", "谢谢，已下单"));
        assertThat(event.id()).isEqualTo("douyin:" + CLIENT_KEY + ":im:7339027599950528999");
    }

    @Test
    void nonTextMessageKeepsItsKindWithoutText() {
        CustomerEvent event = one("im-receive-msg-image.json", "msg-im-3");

        assertThat(event.data().message()).isEqualTo(new Message("image", null));
        assertThat(event.data().attributes()).doesNotContainKey("nickname");
    }

    @Test
    void theBrandsOwnSentMessageGivesNothing() {
        assertThat(normalizer.normalize(openRecord("im-send-msg.json", "msg-send-1"))).isEmpty();
    }

    @Test
    void enteringTheConversationIsAnInteraction() {
        CustomerEvent event = one("im-enter-direct-msg.json", "msg-enter-1");

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.data().extra()).containsEntry("event", "im_enter_direct_msg")
                .containsEntry("source", "video_comment")
                .containsEntry("conversationShortId", "7339027431859716136");
        assertThat(event.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1747706380L));
    }

    @Test
    void lifeServicePaymentIsAPaidOrderInFen() {
        CustomerEvent event = one("life-trade-order-notify-pay-success.json", "13cedde5b8decd82f5c2267a60edd7ad");

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_PAID);
        assertThat(event.id()).isEqualTo("douyin:" + CLIENT_KEY + ":order:1065946966824669548:pay_success");
        assertThat(event.data().order()).isEqualTo(new Order("1065946966824669548", "pay_success", "CNY", 5300, List.of()));
        assertThat(event.data().extra()).containsEntry("originalAmountMinor", 5400L)
                .containsEntry("accountId", "7376546762393143333")
                .containsEntry("action", "pay_success");
        assertThat(event.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1747706433L));
        assertThat(CanonicalEvents.dataOf(event).path("order").path("totalMinor").isIntegralNumber()).isTrue();
    }

    @Test
    void lifeServiceRefundOfTheWholeOrderRefundsItAtItsTotal() {
        CustomerEvent event = one("life-trade-order-notify-refund-whole.json", "4f1c0a7e2b9d4c8e9a6b3d2e1f0a9b8c");

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_REFUNDED);
        assertThat(event.id()).isEqualTo("douyin:" + CLIENT_KEY + ":order:1065946966824669548:refund_success");
        assertThat(event.data().order()).isEqualTo(new Order("1065946966824669548", "refund_success", "CNY", 5300, List.of()));
        assertThat(event.data().extra()).containsEntry("refundMinor", 5300L).containsEntry("partialRefund", false)
                .containsEntry("orderId", "1065946966824669548").containsEntry("action", "refund_success");
        assertThat(event.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1747800000L));
    }

    @Test
    void lifeServicePartialRefundIsAnInteractionSoTheOrderKeepsCountingAtItsPrice() {
        CustomerEvent event = one("life-trade-order-notify-refund-partial.json", "4f1c0a7e2b9d4c8e9a6b3d2e1f0a9b8d");

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        // Not the whole-order refund's id, which a later refund of the rest may still take.
        assertThat(event.id()).isEqualTo("douyin:" + CLIENT_KEY + ":order:1065946966824669548:refund_success:2650");
        assertThat(event.data().order()).isNull();
        assertThat(event.data().identities()).containsExactly(WHO);
        assertThat(event.data().extra()).containsEntry("refundMinor", 2650L).containsEntry("orderTotalMinor", 5300L)
                .containsEntry("partialRefund", true).containsEntry("orderId", "1065946966824669548");
        assertThat(event.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1747790000L));
    }

    @Test
    void lifeServiceRefundStatingNoAmountLeavesTheOrderCounting() {
        String body = "{\"event\":\"life_trade_order_notify\",\"client_key\":\"" + CLIENT_KEY + "\",\"from_user_id\":\"" + OPEN_ID
                + "\",\"content\":\"{\\\"action\\\":\\\"refund_success\\\",\\\"msg_time\\\":1747790000,"
                + "\\\"order\\\":{\\\"order_id\\\":\\\"1065946966824669548\\\",\\\"pay_amount\\\":5300}}\"}";
        List<CustomerEvent> events = normalizer.normalize(new RawRecord("m", "application/json",
                body.getBytes(StandardCharsets.UTF_8), Map.of("clientKey", CLIENT_KEY), NOW));
        produced.addAll(events);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.INTERACTION);
            assertThat(e.id()).isEqualTo("douyin:" + CLIENT_KEY + ":order:1065946966824669548:refund_success:unknown");
            assertThat(e.data().order()).isNull();
            assertThat(e.data().extra()).containsEntry("partialRefund", true).doesNotContainKey("refundMinor");
        });
    }

    @Test
    void voucherRedemptionIsARedeemedCoupon() {
        CustomerEvent event = one("life-trade-certificate-notify-verify.json", "msg-cert-1");

        assertThat(event.type()).isEqualTo(EventTypes.COUPON_REDEEMED);
        assertThat(event.id()).isEqualTo("douyin:" + CLIENT_KEY + ":certificate:7212557509230723106:verify");
        assertThat(event.data().extra()).containsEntry("certificateId", "7212557509230723106")
                .containsEntry("orderId", "1065946966824669548");
        assertThat(event.data().coupon()).isEqualTo(new Coupon("7212557509230723106", null, null, null, null, null,
                "1065946966824669548"));
        assertThat(event.data().order()).isNull();
    }

    @Test
    void unmappedEventOfAUserIsRecordedAsAnInteraction() {
        CustomerEvent event = one("new-follow-action.json", "msg-follow-1");

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.data().extra()).containsEntry("event", "new_follow_action");
    }

    @Test
    void pushAboutNoUserGivesNothing() {
        assertThat(normalizer.normalize(openRecord("life-product-audit.json", "msg-audit-1"))).isEmpty();
    }

    @Test
    void mappedEventWithoutFromUserIdIsBadInput() {
        String body = DouyinFixtures.text("open/authorize.json").replace(OPEN_ID, "");
        RawRecord record = new RawRecord("m", "application/json", body.getBytes(StandardCharsets.UTF_8),
                Map.of("clientKey", CLIENT_KEY), NOW);

        assertThatThrownBy(() -> normalizer.normalize(record))
                .isInstanceOf(BadInputException.class).hasMessageContaining("from_user_id");
    }

    @Test
    void orderAmountThatIsNotWholeFenIsBadInput() {
        String body = "{\"event\":\"life_trade_order_notify\",\"client_key\":\"" + CLIENT_KEY + "\",\"from_user_id\":\"" + OPEN_ID
                + "\",\"content\":\"{\\\"action\\\":\\\"pay_success\\\",\\\"order\\\":{\\\"order_id\\\":\\\"1\\\",\\\"pay_amount\\\":\\\"53.00\\\"}}\"}";
        RawRecord record = new RawRecord("m", "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of(), NOW);

        assertThatThrownBy(() -> normalizer.normalize(record))
                .isInstanceOf(BadInputException.class).hasMessageContaining("pay_amount");
    }

    @Test
    void lifeOrderActionNobodyDocumentedIsAnInteractionKeepingTheOrderId() {
        String body = "{\"event\":\"life_trade_order_notify\",\"client_key\":\"" + CLIENT_KEY + "\",\"from_user_id\":\"" + OPEN_ID
                + "\",\"content\":\"{\\\"action\\\":\\\"close\\\",\\\"msg_time\\\":1747706500,"
                + "\\\"order\\\":{\\\"order_id\\\":\\\"1065946966824669548\\\"}}\"}";
        List<CustomerEvent> events = normalizer.normalize(new RawRecord("m", "application/json",
                body.getBytes(StandardCharsets.UTF_8), Map.of("clientKey", CLIENT_KEY), NOW));
        produced.addAll(events);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.INTERACTION);
            assertThat(e.id()).isEqualTo("douyin:" + CLIENT_KEY + ":order:1065946966824669548:close");
            assertThat(e.data().extra()).containsEntry("action", "close").containsEntry("orderId", "1065946966824669548");
            assertThat(e.data().order()).isNull();
        });
    }

    @Test
    void unreadableContentIsBadInputOnlyForEventsThatNeedIt() {
        String unknown = "{\"event\":\"new_video_digg\",\"from_user_id\":\"" + OPEN_ID + "\",\"content\":\"liked\"}";
        String message = "{\"event\":\"im_receive_msg\",\"from_user_id\":\"" + OPEN_ID + "\",\"content\":\"hello\"}";

        List<CustomerEvent> events = normalizer.normalize(new RawRecord("m1", "application/json",
                unknown.getBytes(StandardCharsets.UTF_8), Map.of("clientKey", CLIENT_KEY, "msgId", "m1"), NOW));
        produced.addAll(events);

        assertThat(events).singleElement().extracting(CustomerEvent::type).isEqualTo(EventTypes.INTERACTION);
        assertThatThrownBy(() -> normalizer.normalize(new RawRecord("m2", "application/json",
                message.getBytes(StandardCharsets.UTF_8), Map.of("clientKey", CLIENT_KEY), NOW)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("content");
    }

    @Test
    void sameRecordGivesTheSameIdsAndRedeliveryToo() {
        RawRecord first = openRecord("authorize.json", "msg-auth-1");
        RawRecord redelivered = new RawRecord(first.key(), first.contentType(), first.payload(), first.attributes(),
                first.receivedAt().plusSeconds(5));

        assertThat(normalizer.normalize(first).get(0).id()).isEqualTo(normalizer.normalize(redelivered).get(0).id());
    }

    @Test
    void withoutMsgIdTheIdIsADigestOfTheExactBody() {
        CustomerEvent once = normalizer.normalize(openRecord("authorize.json", null)).get(0);
        CustomerEvent again = normalizer.normalize(openRecord("authorize.json", null)).get(0);
        CustomerEvent other = normalizer.normalize(openRecord("unauthorize.json", null)).get(0);

        assertThat(once.id()).matches("douyin:" + CLIENT_KEY + ":authorize:[0-9a-f]{32}").isEqualTo(again.id());
        assertThat(other.id()).isNotEqualTo(once.id());
    }

    @Test
    void recordThatIsNotJsonIsBadInput() {
        RawRecord record = new RawRecord("m", "application/json", "<xml/>".getBytes(StandardCharsets.UTF_8), Map.of(), NOW);

        assertThatThrownBy(() -> normalizer.normalize(record)).isInstanceOf(BadInputException.class);
    }
}
