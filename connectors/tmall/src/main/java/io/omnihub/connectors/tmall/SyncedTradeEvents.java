package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.source.RawRecord;
import java.util.List;

/**
 * The event a trade of the incremental sync makes: the stage its status maps to, or an interaction
 * for a status no stage maps.
 */
final class SyncedTradeEvents {

    private final EventOrigin origin;
    private final SellerKey sellerKey;

    SyncedTradeEvents(EventOrigin origin, SellerKey sellerKey) {
        this.origin = origin;
        this.sellerKey = sellerKey;
    }

    List<CustomerEvent> normalize(JsonNode trade, RawRecord record) {
        String tid = TopJson.require(trade, "tid", "trade");
        String status = TopJson.require(trade, "status", "trade " + tid);
        String seller = sellerKey.of(trade, null, "trade " + tid);
        TradeStage stage = TradeStage.BY_STATUS.get(status);
        CustomerEvent.Builder event;
        if (stage == null) {
            // A status TOP added later: kept on the timeline, never mistaken for a stage.
            event = origin.start("tmall:" + seller + ":" + tid + ":status:" + status, EventTypes.INTERACTION,
                    EventTime.ofTrade(trade, null, null, "trade " + tid), record)
                    .extra("event", "trade status " + status);
        } else {
            event = origin.start("tmall:" + seller + ":" + tid + ":" + stage.idPart(), stage.type,
                    EventTime.ofTrade(trade, stage, null, "trade " + tid), record);
        }
        return List.of(TradeOrderMapper.map(event, trade, seller, tid, status, "trade " + tid)
                .extra("via", "sync")
                .build());
    }
}
