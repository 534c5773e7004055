package io.omnihub.connectors.tmall;

import io.omnihub.connector.event.EventTypes;
import java.util.Map;

/** The stages of a trade the CRM knows, the event type of each, and which statuses and topics report them. */
enum TradeStage {
    CREATED(EventTypes.ORDER_CREATED),
    PAID(EventTypes.ORDER_PAID),
    SHIPPED(EventTypes.ORDER_SHIPPED),
    COMPLETED(EventTypes.ORDER_COMPLETED),
    CANCELLED(EventTypes.ORDER_CANCELLED);

    /** TOP trade statuses by stage (TRADE_CLOSED: refunded in full after payment; _BY_TAOBAO: closed unpaid). */
    static final Map<String, TradeStage> BY_STATUS = Map.ofEntries(
            Map.entry("TRADE_NO_CREATE_PAY", CREATED),
            Map.entry("WAIT_BUYER_PAY", CREATED),
            Map.entry("PAY_PENDING", CREATED),
            Map.entry("WAIT_PRE_AUTH_CONFIRM", CREATED),
            Map.entry("WAIT_SELLER_SEND_GOODS", PAID),
            Map.entry("PAID_FORBID_CONSIGN", PAID),
            Map.entry("SELLER_CONSIGNED_PART", SHIPPED),
            Map.entry("WAIT_BUYER_CONFIRM_GOODS", SHIPPED),
            Map.entry("TRADE_BUYER_SIGNED", SHIPPED),
            Map.entry("TRADE_FINISHED", COMPLETED),
            Map.entry("TRADE_CLOSED", CANCELLED),
            Map.entry("TRADE_CLOSED_BY_TAOBAO", CANCELLED));

    /** TMC trade topics by the stage they report. */
    static final Map<String, TradeStage> BY_TOPIC = Map.of(
            "taobao_trade_TradeCreate", CREATED,
            "taobao_trade_TradeAlipayCreate", CREATED,
            "taobao_trade_TradeBuyerPay", PAID,
            "taobao_trade_TradeSellerShip", SHIPPED,
            "taobao_trade_TradeSuccess", COMPLETED,
            "taobao_trade_TradeClose", CANCELLED);

    final String type;

    TradeStage(String type) {
        this.type = type;
    }

    /** The stage's part of an event id: {@code paid} for {@code order.paid}. */
    String idPart() {
        return type.substring("order.".length());
    }

    /** The trade's time field TOP sets when the trade reaches this stage. */
    String timeField() {
        return switch (this) {
            case CREATED -> "created";
            case PAID -> "pay_time";
            case SHIPPED -> "consign_time";
            case COMPLETED, CANCELLED -> "end_time";
        };
    }
}
