package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.RawRecord;
import java.util.List;

/**
 * Turns the poller's records (TMC messages and synced trades, see {@link TmallRecords}) into
 * canonical events: a synced trade through {@link SyncedTradeEvents}, a TMC message through
 * {@link TmcMessageEvents}.
 *
 * <p><b>Ids.</b> A trade reaching a stage gives {@code tmall:<seller>:<tid>:<stage>}, stage one of
 * {@code created, paid, shipped, completed, cancelled}, whichever source reported it: the TMC
 * message {@code TradeBuyerPay} and the synced trade in {@code WAIT_SELLER_SEND_GOODS} give the same
 * id, so the second is a no-op. A successful refund gives {@code tmall:<seller>:<tid>:refund:<refund_id>},
 * an {@code order.refunded} when it covers the whole trade and an interaction when it covers part;
 * any other TMC message {@code tmall:<seller>:tmc:<message id>}; a trade in a status nobody mapped
 * {@code tmall:<seller>:<tid>:status:<STATUS>}. {@code <seller>} is {@code seller-id} when
 * configured, else the trade's {@code seller_nick}.
 *
 * <p><b>Trade detail.</b> A TMC trade message holds little (tid, status, payment, the buyer's open
 * uid). With {@code trade-detail} on (the default) the normalizer asks
 * {@code taobao.trade.fullinfo.get} for lines, times and the receiver's phone; while TOP is down
 * that throws a {@link io.omnihub.connector.errors.TransientException} and the record waits on
 * {@code hub.raw}. The event's type always follows the message's topic, not the trade's status at
 * lookup time. If TOP no longer knows the trade the event goes on with what the message holds.
 *
 * <p><b>Identities.</b> {@code tmall_ouid} = {@code buyer_open_uid} in the seller's namespace, and a
 * {@code phone} from {@code receiver_mobile} when it is a plain mainland mobile number (masked
 * values such as {@code 139****5678} and encrypted ones are skipped).
 */
public final class TmallNormalizer implements Normalizer {

    private final SyncedTradeEvents syncedTrades;
    private final TmcMessageEvents tmcMessages;

    public TmallNormalizer(String connectorId, String instanceId, TmallConfig config, TopApiClient api,
                           System.Logger log) {
        EventOrigin origin = new EventOrigin(connectorId, instanceId);
        SellerKey sellerKey = new SellerKey(config.sellerId());
        this.syncedTrades = new SyncedTradeEvents(origin, sellerKey);
        this.tmcMessages = new TmcMessageEvents(origin, sellerKey, new TradeDetail(config.tradeDetail(), api, log));
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode node = TopJson.object(record.payload(), "record '" + record.key() + "'");
        String kind = record.attributes().getOrDefault(TmallRecords.KIND,
                node.has("topic") ? TmallRecords.KIND_TMC : TmallRecords.KIND_TRADE);
        return switch (kind) {
            case TmallRecords.KIND_TMC -> tmcMessages.normalize(node, record);
            case TmallRecords.KIND_TRADE -> syncedTrades.normalize(node, record);
            default -> throw new BadInputException("record '" + record.key() + "' has an unknown kind '" + kind + "'");
        };
    }
}
