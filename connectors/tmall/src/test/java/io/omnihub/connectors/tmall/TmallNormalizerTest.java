package io.omnihub.connectors.tmall;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.tmall.CanonicalEvents.assertValid;
import static io.omnihub.connectors.tmall.CanonicalEvents.dataOf;
import static io.omnihub.connectors.tmall.TmallFixtures.NOW;
import static io.omnihub.connectors.tmall.TmallFixtures.SELLER_NICK;
import static io.omnihub.connectors.tmall.TmallFixtures.TMC_CLOSED_TID;
import static io.omnihub.connectors.tmall.TmallFixtures.TMC_TID;
import static io.omnihub.connectors.tmall.TmallFixtures.config;
import static io.omnihub.connectors.tmall.TmallFixtures.context;
import static io.omnihub.connectors.tmall.TmallFixtures.json;
import static io.omnihub.connectors.tmall.TmallFixtures.tmcRecord;
import static io.omnihub.connectors.tmall.TmallFixtures.tradeRecord;
import static io.omnihub.connectors.tmall.TopGateway.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.TestConnectorContext;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TmallNormalizerTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String OUID_TMC = "AAGx3Qe9AAeGwJedwSHv2Cd3";
    private static final Identity SHOP_PHONE = Identity.phone("13912345678").withEvidence(Evidence.DELIVERY);

    private TopGateway gateway;

    @BeforeEach
    void setUp() {
        gateway = new TopGateway(wm.getRuntimeInfo().getWireMock());
    }

    private static Map<String, String> gatewayConfig() {
        return config(TopGateway.url(wm.baseUrl()));
    }

    private static TmallNormalizer normalizer(Map<String, String> config) {
        TestConnectorContext ctx = context(config);
        TmallConfig tmall = TmallConfig.from(ctx.config());
        return new TmallNormalizer("tmall", "flagship", tmall, new TopApiClient(ctx, tmall), ctx.logger());
    }

    private static List<CustomerEvent> normalize(RawRecord record) {
        List<CustomerEvent> events = normalizer(gatewayConfig()).normalize(record);
        assertValid(events);
        return events;
    }

    private void stubDetail(String tid) {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET).withFormParam("tid", equalTo(tid))
                .withFormParam("fields", equalTo(TopApiClient.TRADE_FIELDS)), TopGateway.answer("api/trade-fullinfo-" + tid + ".json"));
    }

    private static String id(String tid, String stage) {
        return "tmall:" + SELLER_NICK + ":" + tid + ":" + stage;
    }

    // ---------------------------------------------------------------------------------------
    // Synced trades
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
            "wait-buyer-pay,           3712345678901234501, order.created,   created,   20007,  2025-05-20T09:30+08:00",
            "wait-seller-send-goods,   3712345678901234502, order.paid,      paid,      10,     2025-05-20T09:41:07+08:00",
            "wait-buyer-confirm-goods, 3712345678901234503, order.shipped,   shipped,   199900, 2025-05-19T11:22:33+08:00",
            "trade-finished,           3712345678901234504, order.completed, completed, 5880,   2025-05-20T08:15+08:00",
            "trade-closed,             3712345678901234505, order.cancelled, cancelled, 12900,  2025-05-20T07:45:10+08:00",
            "trade-closed-by-taobao,   3712345678901234506, order.cancelled, cancelled, 4550,   2025-05-20T09:00+08:00",
    })
    void eachTradeStatusBecomesItsOrderEvent(String sample, String tid, String type, String stage, long totalFen,
                                             String time) {
        List<CustomerEvent> events = normalize(tradeRecord(sample));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(type);
            assertThat(event.id()).isEqualTo(id(tid, stage));
            assertThat(event.source()).isEqualTo("/connectors/tmall/flagship");
            assertThat(event.time()).isEqualTo(OffsetDateTime.parse(time));
            assertThat(event.data().order().id()).isEqualTo(tid);
            assertThat(event.data().order().currency()).isEqualTo("CNY");
            assertThat(event.data().order().totalMinor()).isEqualTo(totalFen);
            assertThat(event.data().identities()).first().isEqualTo(
                    Identity.of("tmall_ouid", json("trades/" + sample + ".json").path("buyer_open_uid").asText(), SELLER_NICK).withEvidence(Evidence.VERIFIED));
            assertThat(event.data().extra()).containsEntry("via", "sync");
            assertThat(event.data().receivedAt().toInstant()).isEqualTo(NOW);
        });
    }

    @Test
    void anUnpaidTradeCarriesLinesPhoneAndPlaceInChinese() {
        CustomerEvent event = normalize(tradeRecord("wait-buyer-pay")).get(0);

        assertThat(event.data().identities()).containsExactly(
                Identity.of("tmall_ouid", "AAHm5d-EAAeGwJedwSHpg8bT", SELLER_NICK).withEvidence(Evidence.VERIFIED), SHOP_PHONE);
        assertThat(event.data().order().status()).isEqualTo("WAIT_BUYER_PAY");
        assertThat(event.data().order().lines()).containsExactly(
                new Order.OrderLine("5123456789012", "男士跑步鞋 轻便透气 42码", 1, 19007));
        assertThat(event.data().attributes()).containsEntry("province", "浙江省").containsEntry("city", "杭州市");
        assertThat(event.data().extra()).containsEntry("buyerNick", "t**1").containsEntry("postFeeMinor", 1000L)
                .containsEntry("tradeType", "fixed");
        JsonNode data = dataOf(event);
        assertThat(data.path("order").path("lines").get(0).path("name").asText()).isEqualTo("男士跑步鞋 轻便透气 42码");
        assertThat(data.path("identities").get(1).path("value").asText()).isEqualTo("+8613912345678");
    }

    @Test
    void amountsAreConvertedFromYuanStringsExactly() {
        CustomerEvent paid = normalize(tradeRecord("wait-seller-send-goods")).get(0);
        CustomerEvent shipped = normalize(tradeRecord("wait-buyer-confirm-goods")).get(0);

        // "0.1" is 10 fen, "0.05" is 5 fen; "1999" is 199900 fen.
        assertThat(paid.data().order().totalMinor()).isEqualTo(10);
        assertThat(paid.data().order().lines()).extracting(Order.OrderLine::quantity, Order.OrderLine::unitPriceMinor)
                .containsExactly(tuple(2L, 5L));
        assertThat(shipped.data().order().totalMinor()).isEqualTo(199900);
        assertThat(shipped.data().order().lines()).extracting(Order.OrderLine::name, Order.OrderLine::quantity,
                Order.OrderLine::unitPriceMinor).containsExactly(
                tuple("智能手表 心率监测 黑色", 1L, 129900L), tuple("表带 硅胶 白色", 2L, 35000L));
    }

    @Test
    void linesCarryTheItemsLeafCategoryWhereTopStatesIt() {
        CustomerEvent shipped = normalize(tradeRecord("wait-buyer-confirm-goods")).get(0);
        CustomerEvent paid = normalize(tradeRecord("wait-seller-send-goods")).get(0);

        assertThat(shipped.data().order().lines()).extracting(Order.OrderLine::sku, Order.OrderLine::category)
                .containsExactly(tuple("5123456789013", "50012031"), tuple("5123456789014", "50012032"));
        assertThat(paid.data().order().lines()).extracting(Order.OrderLine::category).containsOnlyNulls();
    }

    @Test
    void aFormattedMobileWithCountryCodeBecomesE164() {
        CustomerEvent event = normalize(tradeRecord("wait-seller-send-goods")).get(0);

        assertThat(event.data().identities()).contains(SHOP_PHONE);
        // No sku_id: the item id stands in.
        assertThat(event.data().order().lines().get(0).sku()).isEqualTo("712345678902");
    }

    @Test
    void maskedAndEncryptedMobilesGiveNoPhone() {
        assertThat(normalize(tradeRecord("wait-buyer-confirm-goods")).get(0).data().identities())
                .extracting(Identity::type).containsExactly("tmall_ouid");
        assertThat(normalize(tradeRecord("trade-finished")).get(0).data().identities())
                .extracting(Identity::type).containsExactly("tmall_ouid");
    }

    @Test
    void aTradeClosedAfterPaymentSaysSo() {
        assertThat(normalize(tradeRecord("trade-closed")).get(0).data().extra()).containsEntry("closedAfterPayment", true);
        assertThat(normalize(tradeRecord("trade-closed-by-taobao")).get(0).data().extra()).doesNotContainKey("closedAfterPayment");
    }

    @Test
    void aConfiguredSellerIdNamespacesIdentitiesAndIds() {
        Map<String, String> config = gatewayConfig();
        config.put("seller-id", "2200812345678");

        CustomerEvent event = normalizer(config).normalize(tradeRecord("wait-buyer-pay")).get(0);

        assertThat(event.id()).isEqualTo("tmall:2200812345678:3712345678901234501:created");
        assertThat(event.data().identities().get(0)).isEqualTo(
                Identity.of("tmall_ouid", "AAHm5d-EAAeGwJedwSHpg8bT", "2200812345678").withEvidence(Evidence.VERIFIED));
    }

    @Test
    void aStatusNobodyMappedIsAnInteractionNotAStage() {
        ObjectNode trade = (ObjectNode) json("trades/wait-buyer-pay.json");
        trade.put("status", "WAIT_SOMETHING_NEW");

        CustomerEvent event = normalize(TmallRecords.trade(trade, NOW)).get(0);

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.id()).isEqualTo(id("3712345678901234501", "status:WAIT_SOMETHING_NEW"));
        assertThat(event.data().order().status()).isEqualTo("WAIT_SOMETHING_NEW");
    }

    @Test
    void theSameRecordGivesTheSameEvents() {
        RawRecord record = tradeRecord("wait-buyer-confirm-goods");

        assertThat(normalizer(gatewayConfig()).normalize(record)).isEqualTo(normalizer(gatewayConfig()).normalize(record));
    }

    @Test
    void fractionsOfAFenAreRefused() {
        ObjectNode trade = (ObjectNode) json("trades/wait-buyer-pay.json");
        trade.put("payment", "200.075");

        assertThatThrownBy(() -> normalize(TmallRecords.trade(trade, NOW))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'payment'").hasMessageContaining("not a whole number of fen");
    }

    @Test
    void anAmountThatIsNoNumberIsRefused() {
        ObjectNode trade = (ObjectNode) json("trades/wait-buyer-pay.json");
        trade.put("payment", "二百元");

        assertThatThrownBy(() -> normalize(TmallRecords.trade(trade, NOW))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not an amount");
    }

    @Test
    void aTradeWithoutTidIsRefused() {
        ObjectNode trade = (ObjectNode) json("trades/wait-buyer-pay.json");
        trade.remove("tid");

        assertThatThrownBy(() -> normalize(TmallRecords.trade(trade, NOW))).isInstanceOf(BadInputException.class)
                .hasMessage("trade has no tid");
    }

    @Test
    void aTradeNamingNoBuyerIsRefused() {
        ObjectNode trade = (ObjectNode) json("trades/wait-buyer-confirm-goods.json");
        trade.remove("buyer_open_uid");

        assertThatThrownBy(() -> normalize(TmallRecords.trade(trade, NOW))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("names no buyer");
    }

    @Test
    void aRecordThatIsNotJsonIsRefused() {
        RawRecord record = new RawRecord("x", "application/json", "<html/>".getBytes(StandardCharsets.UTF_8),
                Map.of("kind", "trade"), NOW);

        assertThatThrownBy(() -> normalize(record)).isInstanceOf(BadInputException.class).hasMessageContaining("not JSON");
    }

    // ---------------------------------------------------------------------------------------
    // TMC messages
    // ---------------------------------------------------------------------------------------

    @Test
    void aPaidMessageIsCompletedWithTheTradeDetail() {
        stubDetail(TMC_TID);

        CustomerEvent event = normalize(tmcRecord("trade-buyer-pay")).get(0);

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_PAID);
        assertThat(event.id()).isEqualTo(id(TMC_TID, "paid"));
        // The message's status, although the trade has shipped by the time of the lookup.
        assertThat(event.data().order().status()).isEqualTo("WAIT_SELLER_SEND_GOODS");
        assertThat(event.data().order().totalMinor()).isEqualTo(9900);
        assertThat(event.data().order().lines()).containsExactly(
                new Order.OrderLine("5123456789016", "女士跑步鞋 缓震 37码", 1, 8900));
        assertThat(event.data().identities()).containsExactly(Identity.of("tmall_ouid", OUID_TMC, SELLER_NICK).withEvidence(Evidence.VERIFIED), SHOP_PHONE);
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T09:51:01+08:00"));
        assertThat(event.data().attributes()).containsEntry("city", "南京市");
        assertThat(event.data().extra()).containsEntry("via", "tmc").containsEntry("tmcTopic", "taobao_trade_TradeBuyerPay")
                .containsEntry("tmcMessageId", "7100000000000000002").containsEntry("tid", TMC_TID);
    }

    @Test
    void aTmcMessageAndTheSyncGiveTheSameIdForTheSameStage() {
        stubDetail(TMC_TID);
        ObjectNode synced = (ObjectNode) json("api/trade-fullinfo-" + TMC_TID + ".json").path("trade_fullinfo_get_response").path("trade");
        synced.put("status", "WAIT_SELLER_SEND_GOODS");

        String fromTmc = normalize(tmcRecord("trade-buyer-pay")).get(0).id();
        String fromSync = normalize(TmallRecords.trade(synced, NOW)).get(0).id();

        assertThat(fromTmc).isEqualTo(fromSync).isEqualTo(id(TMC_TID, "paid"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "trade-create,      order.created,   created",
            "trade-buyer-pay,   order.paid,      paid",
            "trade-seller-ship, order.shipped,   shipped",
            "trade-success,     order.completed, completed",
    })
    void eachTradeTopicBecomesItsOrderEvent(String sample, String type, String stage) {
        stubDetail(TMC_TID);

        CustomerEvent event = normalize(tmcRecord(sample)).get(0);

        assertThat(event.type()).isEqualTo(type);
        assertThat(event.id()).isEqualTo(id(TMC_TID, stage));
        assertThat(event.data().order().totalMinor()).isEqualTo(9900);
    }

    @Test
    void aCloseMessageIsACancellation() {
        stubDetail(TMC_CLOSED_TID);

        CustomerEvent event = normalize(tmcRecord("trade-close")).get(0);

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_CANCELLED);
        assertThat(event.id()).isEqualTo(id(TMC_CLOSED_TID, "cancelled"));
        assertThat(event.data().order().totalMinor()).isEqualTo(1500);
        // 158****0000 is masked
        assertThat(event.data().identities()).extracting(Identity::type).containsExactly("tmall_ouid");
        assertThat(event.data().order().lines()).extracting(Order.OrderLine::name).containsExactly("运动水壶 750ml");
    }

    @Test
    void withoutTradeDetailTheMessageAloneMakesTheEvent() {
        Map<String, String> config = gatewayConfig();
        config.put("trade-detail", "false");

        CustomerEvent event = normalizer(config).normalize(tmcRecord("trade-buyer-pay")).get(0);

        assertValid(List.of(event));
        assertThat(event.id()).isEqualTo(id(TMC_TID, "paid"));
        assertThat(event.data().order().totalMinor()).isEqualTo(9900);
        assertThat(event.data().order().lines()).isEmpty();
        assertThat(event.data().identities()).containsExactly(Identity.of("tmall_ouid", OUID_TMC, SELLER_NICK).withEvidence(Evidence.VERIFIED));
        // Published at 09:51:02
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T09:51:02+08:00"));
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void withoutTradeDetailAMessageWithoutAmountIsAnInteractionUnderItsOwnId() {
        Map<String, String> config = gatewayConfig();
        config.put("trade-detail", "false");

        CustomerEvent event = normalizer(config).normalize(tmcRecord("trade-seller-ship")).get(0);

        assertValid(List.of(event));
        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        // Not the shipped stage's id: the sync must still be able to deliver that stage with its amount.
        assertThat(event.id()).isEqualTo("tmall:" + SELLER_NICK + ":tmc:7100000000000000003");
        assertThat(event.data().order()).isNull();
    }

    @Test
    void aTradeTopHasForgottenGoesOnWithTheMessage() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET), TopGateway.answer("api/error-trade-not-exist.json"));

        CustomerEvent event = normalize(tmcRecord("trade-buyer-pay")).get(0);

        assertThat(event.id()).isEqualTo(id(TMC_TID, "paid"));
        assertThat(event.data().order().lines()).isEmpty();
    }

    @Test
    void whileTopIsDownTheMessageWaits() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET), TopGateway.serverError());

        assertThatThrownBy(() -> normalize(tmcRecord("trade-buyer-pay"))).isInstanceOf(TransientException.class);
    }

    @Test
    void aCallLimitOnTheDetailIsRateLimited() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET), TopGateway.answer("api/error-call-limited.json"));

        assertThatThrownBy(() -> normalize(tmcRecord("trade-buyer-pay"))).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void anExpiredSessionOnTheDetailFailsTheInstance() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET), TopGateway.answer("api/error-session-expired.json"));

        assertThatThrownBy(() -> normalize(tmcRecord("trade-buyer-pay"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("authorise the shop again");
    }

    @Test
    void aRefundOfTheWholeTradeRefundsTheOrderAtWhatTheBuyerPaid() {
        stubDetail(TMC_TID);

        CustomerEvent event = normalize(tmcRecord("refund-success")).get(0);

        // 99.00 refunded of a trade paid 99.00: the whole trade.
        assertThat(event.type()).isEqualTo(EventTypes.ORDER_REFUNDED);
        assertThat(event.id()).isEqualTo(id(TMC_TID, "refund:189012345678901234"));
        assertThat(event.data().order().id()).isEqualTo(TMC_TID);
        assertThat(event.data().order().totalMinor()).isEqualTo(9900);
        assertThat(event.data().order().lines()).extracting(Order.OrderLine::name).containsExactly("女士跑步鞋 缓震 37码");
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T10:05+08:00"));
        assertThat(event.data().identities()).containsExactly(Identity.of("tmall_ouid", OUID_TMC, SELLER_NICK).withEvidence(Evidence.VERIFIED));
        assertThat(event.data().extra()).containsEntry("refundId", "189012345678901234").containsEntry("refundFeeMinor", 9900L)
                .containsEntry("refundPhase", "aftersale").containsEntry("billType", "return_bill");
        // The message holds the refund, not the trade's payment: one lookup.
        assertThat(gateway.received(TopApiClient.TRADE_FULLINFO_GET)).singleElement()
                .satisfies(form -> assertThat(form).containsEntry("tid", TMC_TID));
    }

    /**
     * The CRM keeps one row per order, which the newest event's total overwrites and which a refunded
     * order leaves out of the customer's spend: a 10.00 refund on a 99.00 trade must leave the order
     * at 99.00 and counting, and show on the timeline.
     */
    @Test
    void aPartialRefundIsAnInteractionThatLeavesTheOrderAlone() {
        stubDetail(TMC_TID);

        CustomerEvent event = normalize(tmcRecord("refund-success-partial")).get(0);

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.id()).isEqualTo(id(TMC_TID, "refund:189012345678901235"));
        assertThat(event.data().order()).isNull();
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T10:06+08:00"));
        assertThat(event.data().identities()).containsExactly(Identity.of("tmall_ouid", OUID_TMC, SELLER_NICK).withEvidence(Evidence.VERIFIED));
        assertThat(event.data().extra()).containsEntry("event", "taobao_refund_RefundSuccess")
                .containsEntry("orderId", TMC_TID).containsEntry("refundMinor", 1000L).containsEntry("paymentMinor", 9900L)
                .containsEntry("refundId", "189012345678901235").containsEntry("refundFeeMinor", 1000L)
                .containsEntry("refundPhase", "onsale");
    }

    @Test
    void aRefundOfEveryLineIsOfTheWholeTradeEvenWhenThePostageIsKept() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET).withFormParam("tid", equalTo(TMC_TID)),
                TopGateway.answer("api/trade-fullinfo-3712345678901234601-refunded.json"));

        CustomerEvent event = normalize(tmcRecord("refund-success-goods-only")).get(0);

        // 89.00 of 99.00 (10.00 postage kept), but TOP reports the trade's only line refunded.
        assertThat(event.type()).isEqualTo(EventTypes.ORDER_REFUNDED);
        assertThat(event.id()).isEqualTo(id(TMC_TID, "refund:189012345678901236"));
        assertThat(event.data().order().totalMinor()).isEqualTo(9900);
        assertThat(event.data().extra()).containsEntry("refundFeeMinor", 8900L);
    }

    @Test
    void aRefundWhoseTradeCannotBeReadIsRecordedAsPartial() {
        Map<String, String> noDetail = gatewayConfig();
        noDetail.put("trade-detail", "false");

        CustomerEvent withoutDetail = normalizer(noDetail).normalize(tmcRecord("refund-success")).get(0);

        assertThat(wm.getAllServeEvents()).isEmpty();
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET), TopGateway.answer("api/error-trade-not-exist.json"));
        CustomerEvent forgotten = normalize(tmcRecord("refund-success")).get(0);

        // Whether it covered the trade nobody can tell: the order keeps its total rather than lose it.
        for (CustomerEvent event : List.of(withoutDetail, forgotten)) {
            assertValid(List.of(event));
            assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
            assertThat(event.id()).isEqualTo(id(TMC_TID, "refund:189012345678901234"));
            assertThat(event.data().order()).isNull();
            assertThat(event.data().extra()).containsEntry("refundMinor", 9900L).containsEntry("orderId", TMC_TID)
                    .doesNotContainKey("paymentMinor");
        }
    }

    @Test
    void aRefundMessageThatStatesThePaymentNeedsNoLookup() throws Exception {
        ObjectNode message = (ObjectNode) json("tmc/refund-success-partial.json");
        ObjectNode content = (ObjectNode) TopApiClient.JSON.readTree(message.path("content").asText());
        message.put("content", content.put("payment", "10.00").toString());

        CustomerEvent event = normalize(TmallRecords.tmcMessage(message, NOW)).get(0);

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_REFUNDED);
        assertThat(event.data().order().totalMinor()).isEqualTo(1000);
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "refund-created, 7100000000000000006, taobao_refund_RefundCreated, 9900",
            "refund-closed,  7100000000000000008, taobao_refund_RefundClosed,  2050",
    })
    void otherRefundMessagesAreInteractions(String sample, String messageId, String topic, long feeFen) {
        CustomerEvent event = normalize(tmcRecord(sample)).get(0);

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.id()).isEqualTo("tmall:" + SELLER_NICK + ":tmc:" + messageId);
        assertThat(event.data().order()).isNull();
        assertThat(event.data().extra()).containsEntry("event", topic).containsEntry("refundFeeMinor", feeFen);
    }

    @Test
    void aSellerMemoIsNoCustomerEvent() {
        assertThat(normalize(tmcRecord("trade-memo-modified"))).isEmpty();
    }

    @Test
    void aMessageWhoseContentIsNotJsonIsRefused() {
        ObjectNode message = (ObjectNode) json("tmc/trade-buyer-pay.json");
        message.put("content", "{\"tid\":");

        assertThatThrownBy(() -> normalize(TmallRecords.tmcMessage(message, NOW))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("TMC message 7100000000000000002").hasMessageContaining("not JSON");
    }

    @Test
    void aMessageWithoutIdIsRefused() {
        ObjectNode message = (ObjectNode) json("tmc/refund-success.json");
        message.remove("id");

        assertThatThrownBy(() -> normalize(TmallRecords.tmcMessage(message, NOW))).isInstanceOf(BadInputException.class)
                .hasMessage("TMC message has no id");
    }
}
