package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.source.RawRecord;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The events a TMC message makes, by its topic: a trade stage ({@link TradeMessageEvents}), a
 * successful refund ({@link RefundEvents}), nothing for the ignored topics, and an interaction for
 * any other message that names a buyer.
 */
final class TmcMessageEvents {

    static final String REFUND_SUCCESS = "taobao_refund_RefundSuccess";
    /** Topics about the seller's side of a trade, or repeating what the stage topics say: no event. */
    static final Set<String> IGNORED_TOPICS = Set.of("taobao_trade_TradeMemoModified", "taobao_trade_TradeChanged");

    private final EventOrigin origin;
    private final SellerKey sellerKey;
    private final TradeMessageEvents tradeMessages;
    private final RefundEvents refunds;

    TmcMessageEvents(EventOrigin origin, SellerKey sellerKey, TradeDetail detail) {
        this.origin = origin;
        this.sellerKey = sellerKey;
        this.tradeMessages = new TradeMessageEvents(origin, sellerKey, detail);
        this.refunds = new RefundEvents(origin, detail);
    }

    List<CustomerEvent> normalize(JsonNode envelope, RawRecord record) {
        String messageId = TopJson.require(envelope, "id", "TMC message");
        String topic = TopJson.require(envelope, "topic", "TMC message " + messageId);
        String what = "TMC message " + messageId + " (" + topic + ")";
        if (IGNORED_TOPICS.contains(topic)) {
            return List.of();
        }
        JsonNode content = TmcMessage.content(envelope, what);
        Instant published = TopTime.parse(envelope.path("pub_time").asText(null)).orElse(null);
        TmcMessage message = new TmcMessage(envelope, messageId, topic, content, published, what);

        TradeStage stage = TradeStage.BY_TOPIC.get(topic);
        if (stage != null) {
            return List.of(tradeMessages.normalize(message, stage, record));
        }
        String seller = sellerKey.of(content, envelope, what);
        if (REFUND_SUCCESS.equals(topic)) {
            return List.of(refunds.normalize(message, seller, record));
        }
        // Refund requests and closures, partial refunds, closed sub-orders and whatever TOP adds:
        // on the timeline as an interaction, never as an order stage.
        List<Identity> who = BuyerIdentities.of(content, seller);
        if (who.isEmpty()) {
            return List.of();
        }
        CustomerEvent.Builder event = origin.start("tmall:" + seller + ":tmc:" + messageId, EventTypes.INTERACTION,
                EventTime.of(content, "modified", published, what), record);
        who.forEach(event::identity);
        return List.of(message.extras(event)
                .extra("event", topic)
                .extra("refundId", TopJson.text(content, "refund_id"))
                .extra("refundFeeMinor", TopJson.fen(content, "refund_fee"))
                .extra("status", TopJson.text(content, "status"))
                .build());
    }
}
