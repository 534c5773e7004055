package io.omnihub.connectors.douyin;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.douyin.DoudianApiStubs.ACCESS_TOKEN;
import static io.omnihub.connectors.douyin.DoudianApiStubs.batchDecrypt;
import static io.omnihub.connectors.douyin.DoudianApiStubs.error;
import static io.omnihub.connectors.douyin.DoudianApiStubs.json;
import static io.omnihub.connectors.douyin.DoudianApiStubs.orderDetail;
import static io.omnihub.connectors.douyin.DoudianApiStubs.serverError;
import static io.omnihub.connectors.douyin.DoudianApiStubs.tokenCreate;
import static io.omnihub.connectors.douyin.DouyinFixtures.DOUDIAN_OPEN_ID;
import static io.omnihub.connectors.douyin.DouyinFixtures.NOW;
import static io.omnihub.connectors.douyin.DouyinFixtures.P_ID;
import static io.omnihub.connectors.douyin.DouyinFixtures.SHOP_ID;
import static io.omnihub.connectors.douyin.DouyinFixtures.context;
import static io.omnihub.connectors.douyin.DouyinFixtures.shopConfig;
import static io.omnihub.connectors.douyin.DouyinFixtures.shopRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DoudianNormalizerTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Identity BUYER = Identity.of(IdentityTypes.DOUDIAN_OPENID, DOUDIAN_OPEN_ID, SHOP_ID).withEvidence(Evidence.VERIFIED);
    private static final Identity PHONE = Identity.of(IdentityTypes.PHONE, "+8613912345678").withEvidence(Evidence.DELIVERY);
    private static final Order.OrderLine SHOES = new Order.OrderLine("1789012345678901234", "轻量缓震跑鞋 男款 42码", 1, 9900);

    private TestConnectorContext ctx;
    private DoudianNormalizer normalizer;
    private final List<CustomerEvent> produced = new ArrayList<>();

    @BeforeEach
    void setUp() {
        normalizer = normalizer(Map.of());
    }

    @AfterEach
    void everyEventFollowsTheCanonicalSchema() {
        CanonicalEvents.assertValid(produced);
    }

    private DoudianNormalizer normalizer(Map<String, String> overrides) {
        Map<String, String> config = shopConfig();
        config.put("api-base-url", wm.baseUrl());
        config.putAll(overrides);
        ctx = context(config);
        DouyinConfig parsed = DouyinConfig.from(ctx.config());
        return new DoudianNormalizer(ctx, parsed, new DoudianApiClient(ctx, parsed));
    }

    private void stubBuyerLookups() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(json("api/batch-decrypt.json")));
    }

    private CustomerEvent one(String file) {
        List<CustomerEvent> events = normalizer.normalize(shopRecord(file));
        produced.addAll(events);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void paidOrderNamesTheBuyerByDoudianOpenIdAndDecryptedPhoneWithAmountsInFen() {
        stubBuyerLookups();

        CustomerEvent event = one("msg-101-paid.json");

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_PAID);
        assertThat(event.id()).isEqualTo("doudian:12345:7000000000000000001");
        assertThat(event.source()).isEqualTo("/connectors/douyin/brand-dy");
        assertThat(event.data().identities()).containsExactly(BUYER, PHONE);
        assertThat(event.data().order()).isEqualTo(new Order(P_ID, "2", "CNY", 9900, List.of(SHOES)));
        assertThat(event.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1700000000L));
        assertThat(event.data().receivedAt().toInstant()).isEqualTo(NOW.plusMillis(250));
        assertThat(event.data().extra()).containsEntry("tag", "101").containsEntry("tagName", "订单支付/确认消息")
                .containsEntry("pId", P_ID).containsEntry("sIds", List.of("6920000000000000001"))
                .containsEntry("msgId", "7000000000000000001");
        assertThat(CanonicalEvents.json(event)).contains("轻量缓震跑鞋 男款 42码").contains("\"totalMinor\":9900");
    }

    @Test
    void orderLinesCarryEveryProductWithUnitPricesInFen() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail-two-lines.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(json("api/batch-decrypt.json")));

        Order order = one("msg-100-created.json").data().order();

        assertThat(order.totalMinor()).isEqualTo(15800);
        assertThat(order.lines()).as("category: the deepest cid that is not 0").containsExactly(
                new Order.OrderLine(SHOES.sku(), SHOES.name(), 1, 9900, "23321"),
                new Order.OrderLine("1789012345678905678", "速干运动袜 三双装", 2, 2950, "20080"));
    }

    @Test
    void everyOrderTagMapsToItsCanonicalTypeAndTime() {
        stubBuyerLookups();

        assertThat(one("msg-100-created.json")).satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.ORDER_CREATED);
            assertThat(e.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1699999900L));
            assertThat(e.data().order().status()).isEqualTo("1");
        });
        assertThat(one("msg-102-shipped.json")).satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.ORDER_SHIPPED);
            assertThat(e.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1700086400L));
        });
        assertThat(one("msg-103-completed.json")).satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.ORDER_COMPLETED);
            assertThat(e.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1700604800L));
        });
        assertThat(one("msg-106-cancelled.json")).satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.ORDER_CANCELLED);
            assertThat(e.data().extra()).containsEntry("cancelReason", "买家不想要了");
            assertThat(e.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1700003600L));
        });
    }

    @Test
    void refundOfTheWholeOrderRefundsItAtItsTotalAndKeepsTheRefundedAmount() {
        stubBuyerLookups();

        CustomerEvent event = one("msg-206-refunded.json");

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_REFUNDED);
        // The order keeps its total: the CRM core tracks orders by id and total.
        assertThat(event.data().order()).isEqualTo(new Order(P_ID, "2", "CNY", 9900, List.of(SHOES)));
        assertThat(event.data().extra()).containsEntry("aftersaleId", "7100000000000000001")
                .containsEntry("sId", "6920000000000000001")
                .containsEntry("refundAmountMinor", 9900L)
                .containsEntry("refundPostAmountMinor", 0L)
                .containsEntry("refundMinor", 9900L)
                .containsEntry("orderId", P_ID)
                .containsEntry("partialRefund", false)
                .containsEntry("tagName", "退款成功消息");
        assertThat(event.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1700200000L));
    }

    @Test
    void refundOfOneSubOrderIsAnInteractionSoTheOrderKeepsCountingAtItsPrice() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail-two-lines.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(json("api/batch-decrypt.json")));

        // The socks (5900 of the 15800 order) come back; the shoes were kept.
        CustomerEvent event = one("msg-206-partial-refund.json");

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.id()).isEqualTo("doudian:12345:7000000000000000216");
        // No order: an order.refunded (or any order event) would restate the order's row.
        assertThat(event.data().order()).isNull();
        assertThat(event.data().identities()).containsExactly(BUYER, PHONE);
        assertThat(event.data().extra()).containsEntry("tag", "206").containsEntry("tagName", "退款成功消息")
                .containsEntry("orderId", P_ID)
                .containsEntry("refundMinor", 5900L)
                .containsEntry("orderTotalMinor", 15800L)
                .containsEntry("partialRefund", true)
                .containsEntry("sId", "6920000000000000002")
                .containsEntry("aftersaleId", "7100000000000000002");
        assertThat(event.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1700300000L));
    }

    @Test
    void refundedGoodsAndShippingTogetherCoveringTheOrderRefundIt() {
        stubBuyerLookups();

        CustomerEvent event = one("msg-206-refund-with-shipping.json");

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_REFUNDED);
        assertThat(event.data().order().totalMinor()).isEqualTo(9900);
        assertThat(event.data().extra()).containsEntry("refundMinor", 9900L).containsEntry("partialRefund", false);
    }

    @Test
    void refundSuccessStatingNoAmountCannotBeToldFromAPartialOneAndLeavesTheOrderCounting() {
        stubBuyerLookups();
        String message = DouyinFixtures.text("shop/msg-206-refunded.json")
                .replace("\\\"refund_amount\\\":9900,", "");
        assertThat(message).doesNotContain("refund_amount\\\"");
        RawRecord record = new RawRecord("", "application/json", message.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("shopId", SHOP_ID), NOW);

        List<CustomerEvent> events = normalizer.normalize(record);
        produced.addAll(events);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.INTERACTION);
            assertThat(e.data().order()).isNull();
            assertThat(e.data().extra()).containsEntry("partialRefund", true).doesNotContainKey("refundMinor");
        });
    }

    @Test
    void malformedMessageOfAPushFailsAloneAndTheOthersBecomeEvents() {
        stubBuyerLookups();
        DoudianWebhookHandler handler = new DoudianWebhookHandler(DouyinConfig.from(ctx.config()));
        WebhookResult result = handler.handle(DouyinFixtures.signedShopPush(DouyinFixtures.resource("shop/push-one-malformed.json")));

        List<String> events = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (RawRecord record : result.records()) {
            try {
                normalizer.normalize(record).forEach(e -> {
                    produced.add(e);
                    events.add(e.type() + " " + e.id());
                });
            } catch (BadInputException e) {
                failures.add(e.getMessage());
            }
        }

        assertThat(events).containsExactly("order.paid doudian:12345:7000000000000000001",
                "order.cancelled doudian:12345:7000000000000000006");
        assertThat(failures).containsExactly(
                "抖店 push message #2 is not a JSON object but STRING; the other messages of its push were kept",
                "抖店 push message #3 (msg_id 7000000000000000777) has no 'tag'; the other messages of its push were kept");
    }

    @Test
    void afterSaleRequestOpensATicketAndItsClosingResolvesIt() {
        stubBuyerLookups();

        CustomerEvent opened = one("msg-200-aftersale.json");
        CustomerEvent progress = one("msg-201-refund-agreed.json");
        CustomerEvent closed = one("msg-207-closed.json");

        assertThat(opened.type()).isEqualTo(EventTypes.TICKET_OPENED);
        assertThat(opened.data().order()).isNull();
        assertThat(opened.data().extra()).containsEntry("aftersaleId", "7100000000000000001").containsEntry("pId", P_ID);
        // update_time here is a date string; apply_time says when.
        assertThat(opened.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1700100000L));
        assertThat(progress.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(progress.data().extra()).containsEntry("tag", "201").containsEntry("tagName", "同意退款消息");
        assertThat(closed.type()).isEqualTo(EventTypes.TICKET_RESOLVED);
    }

    @Test
    void addressChangeUpdatesTheProfileWithTheCurrentPhone() {
        stubBuyerLookups();

        CustomerEvent event = one("msg-105-address.json");

        assertThat(event.type()).isEqualTo(EventTypes.PROFILE_UPDATED);
        assertThat(event.data().identities()).containsExactly(BUYER, PHONE);
        assertThat(event.data().order()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"msg-104-logistics.json", "msg-113-memo.json"})
    void tagsWithoutCanonicalMeaningGiveNothingAndCallNoApi(String file) {
        assertThat(normalizer.normalize(shopRecord(file))).isEmpty();
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void testMessageGivesNothing() {
        RawRecord test = new RawRecord("1", "application/json",
                "{\"tag\":\"0\",\"msg_id\":\"1\",\"data\":\"{}\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of(), NOW);

        assertThat(normalizer.normalize(test)).isEmpty();
    }

    @Test
    void dataSentAsAnObjectWithNumericTagAndMsgIdReadsTheSame() {
        stubBuyerLookups();

        CustomerEvent event = one("msg-101-data-object.json");

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_PAID);
        assertThat(event.id()).isEqualTo("doudian:12345:7000000000000000902");
    }

    @Test
    void whileTheApiIsDownTheRecordWaitsAsTransient() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(serverError()));

        assertThatThrownBy(() -> normalizer.normalize(shopRecord("msg-101-paid.json"))).isInstanceOf(TransientException.class);
    }

    @Test
    void decryptionOutageIsTransientToo() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(error(20000, "服务不可用", "dop.service-error", "")));

        assertThatThrownBy(() -> normalizer.normalize(shopRecord("msg-101-paid.json"))).isInstanceOf(TransientException.class);
    }

    @Test
    void theMessagesOfOneOrderCostOneDecryption() {
        stubBuyerLookups();

        assertThat(one("msg-100-created.json").data().identities()).containsExactly(BUYER, PHONE);
        assertThat(one("msg-101-paid.json").data().identities()).containsExactly(BUYER, PHONE);
        assertThat(one("msg-103-completed.json").data().identities()).containsExactly(BUYER, PHONE);

        wm.verify(3, postRequestedFor(urlPathEqualTo("/order/orderDetail")));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/order/batchDecrypt")));
    }

    @Test
    void refusedDecryptionIsAskedAgainForTheNextMessage() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(json("api/batch-decrypt-item-error.json")));

        one("msg-100-created.json");
        one("msg-101-paid.json");

        wm.verify(2, postRequestedFor(urlPathEqualTo("/order/batchDecrypt")));
    }

    @Test
    void virtualNumberIsNoPhoneIdentity() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(json("api/batch-decrypt-virtual.json")));

        assertThat(one("msg-101-paid.json").data().identities()).containsExactly(BUYER);
    }

    @Test
    void refusedDecryptionLetsTheEventGoOnWithoutThePhone() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(json("api/batch-decrypt-item-error.json")));

        assertThat(one("msg-101-paid.json").data().identities()).containsExactly(BUYER);
        assertThat(String.join("\n", ctx.logLines())).contains("300008").doesNotContain("13912345678");
    }

    @Test
    void missingDecryptPermissionSaysHowToTurnDecryptionOff() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(error(30001, "操作权限不足", "isv.app-permissions-insufficient",
                "应用无权限调用该接口，请先申请接口权限包")));

        assertThatThrownBy(() -> normalizer.normalize(shopRecord("msg-101-paid.json")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("decrypt-phone=false");
    }

    @Test
    void withDecryptionOffNoDecryptIsCalled() {
        normalizer = normalizer(Map.of("decrypt-phone", "false"));
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));

        assertThat(one("msg-101-paid.json").data().identities()).containsExactly(BUYER);
        wm.verify(0, postRequestedFor(urlPathEqualTo("/order/batchDecrypt")));
    }

    @Test
    void orderWithoutAnyBuyerIdentityIsBadInput() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail-anonymous.json")));

        assertThatThrownBy(() -> normalizer.normalize(shopRecord("msg-101-paid.json")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("doudian_open_id");
    }

    @Test
    void messageForAnotherShopIsBadInputAndCallsNoApi() {
        assertThatThrownBy(() -> normalizer.normalize(shopRecord("msg-101-other-shop.json")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("99999").hasMessageContaining(SHOP_ID);
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void messageWithoutPidIsBadInput() {
        RawRecord record = new RawRecord("1", "application/json",
                "{\"tag\":\"101\",\"msg_id\":\"1\",\"data\":\"{\\\"shop_id\\\":12345}\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of(), NOW);

        assertThatThrownBy(() -> normalizer.normalize(record)).isInstanceOf(BadInputException.class).hasMessageContaining("p_id");
    }

    @Test
    void unknownOrderIsBadInput() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(error(50002, "业务处理失败", "isv.business-failed:2000", "订单不存在")));

        assertThatThrownBy(() -> normalizer.normalize(shopRecord("msg-101-paid.json"))).isInstanceOf(BadInputException.class);
    }

    @Test
    void sameMessageGivesTheSameEventOnAnotherNode() {
        stubBuyerLookups();
        CustomerEvent first = one("msg-101-paid.json");

        CustomerEvent elsewhere = normalizer(Map.of()).normalize(shopRecord("msg-101-paid.json")).get(0);

        assertThat(elsewhere).isEqualTo(first);
    }
}
