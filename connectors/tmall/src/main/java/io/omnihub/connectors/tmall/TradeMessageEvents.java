package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.source.RawRecord;
import java.util.List;

/**
 * The event a TMC trade message makes: the stage its topic reports, completed with the trade's
 * detail. Its type follows the topic, never the trade's status at lookup time.
 */
final class TradeMessageEvents {

    private final EventOrigin origin;
    private final SellerKey sellerKey;
    private final TradeDetail detail;

    TradeMessageEvents(EventOrigin origin, SellerKey sellerKey, TradeDetail detail) {
        this.origin = origin;
        this.sellerKey = sellerKey;
        this.detail = detail;
    }

    CustomerEvent normalize(TmcMessage message, TradeStage stage, RawRecord record) {
        String what = message.what();
        JsonNode content = message.content();
        String tid = TopJson.require(content, "tid", what);
        String seller = sellerKey.of(content, message.envelope(), what);
        ObjectNode trade = TopApiClient.JSON.createObjectNode();
        detail.lookup(tid, what).ifPresent(found -> trade.setAll((ObjectNode) found));
        // The message speaks for the moment it was published; the detail may already be further on.
        content.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull() && !field.getValue().isContainerNode()) {
                trade.set(field.getKey(), field.getValue());
            }
        });
        if (Yuan.fenOf(trade, "payment").isEmpty() && Yuan.fenOf(trade, "total_fee").isEmpty()) {
            // No amount to state: an order event would set the order's total to nothing. The
            // interaction keeps the fact; the sync brings the stage with its amount under its own id.
            List<Identity> who = BuyerIdentities.of(trade, seller);
            if (who.isEmpty()) {
                throw new BadInputException(what + " names no buyer (no buyer_open_uid) and states no amount");
            }
            CustomerEvent.Builder event = origin.start("tmall:" + seller + ":tmc:" + message.id(),
                    EventTypes.INTERACTION, EventTime.ofTrade(trade, stage, message.published(), what), record);
            who.forEach(event::identity);
            return message.extras(event)
                    .extra("event", message.topic())
                    .extra("status", TopJson.text(content, "status"))
                    .build();
        }
        CustomerEvent.Builder event = origin.start("tmall:" + seller + ":" + tid + ":" + stage.idPart(), stage.type,
                EventTime.ofTrade(trade, stage, message.published(), what), record);
        String status = TopJson.text(trade, "status");
        return message.extras(TradeOrderMapper.map(event, trade, seller, tid, status, what)).build();
    }
}
