package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connectors.tmall.TopErrors.TopRefusal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns the poller's records (TMC messages and synced trades, see {@link TmallRecords}) into
 * canonical events.
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

    static final String REFUND_SUCCESS = "taobao_refund_RefundSuccess";
    /** Topics about the seller's side of a trade, or repeating what the stage topics say: no event. */
    static final Set<String> IGNORED_TOPICS = Set.of("taobao_trade_TradeMemoModified", "taobao_trade_TradeChanged");

    private final EventOrigin origin;
    private final SellerKey sellerKey;
    private final TmallConfig config;
    private final TopApiClient api;
    private final System.Logger log;

    public TmallNormalizer(String connectorId, String instanceId, TmallConfig config, TopApiClient api,
                           System.Logger log) {
        this.origin = new EventOrigin(connectorId, instanceId);
        this.sellerKey = new SellerKey(config.sellerId());
        this.config = config;
        this.api = api;
        this.log = log;
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode node = TopJson.object(record.payload(), "record '" + record.key() + "'");
        String kind = record.attributes().getOrDefault(TmallRecords.KIND,
                node.has("topic") ? TmallRecords.KIND_TMC : TmallRecords.KIND_TRADE);
        return switch (kind) {
            case TmallRecords.KIND_TMC -> tmcMessage(node, record);
            case TmallRecords.KIND_TRADE -> syncedTrade(node, record);
            default -> throw new BadInputException("record '" + record.key() + "' has an unknown kind '" + kind + "'");
        };
    }

    // ---------------------------------------------------------------------------------------
    // Synced trades
    // ---------------------------------------------------------------------------------------

    private List<CustomerEvent> syncedTrade(JsonNode trade, RawRecord record) {
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

    // ---------------------------------------------------------------------------------------
    // TMC messages
    // ---------------------------------------------------------------------------------------

    private List<CustomerEvent> tmcMessage(JsonNode message, RawRecord record) {
        String messageId = TopJson.require(message, "id", "TMC message");
        String topic = TopJson.require(message, "topic", "TMC message " + messageId);
        String what = "TMC message " + messageId + " (" + topic + ")";
        if (IGNORED_TOPICS.contains(topic)) {
            return List.of();
        }
        JsonNode content = content(message, what);
        Instant published = TopTime.parse(message.path("pub_time").asText(null)).orElse(null);

        TradeStage stage = TradeStage.BY_TOPIC.get(topic);
        if (stage != null) {
            return List.of(tradeMessage(message, messageId, topic, stage, content, published, record, what));
        }
        String seller = sellerKey.of(content, message, what);
        if (REFUND_SUCCESS.equals(topic)) {
            return List.of(refund(messageId, topic, content, seller, published, record, what));
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
        return List.of(tmcExtras(event, messageId, topic, content)
                .extra("event", topic)
                .extra("refundId", TopJson.text(content, "refund_id"))
                .extra("refundFeeMinor", TopJson.fen(content, "refund_fee"))
                .extra("status", TopJson.text(content, "status"))
                .build());
    }

    private CustomerEvent tradeMessage(JsonNode message, String messageId, String topic, TradeStage stage, JsonNode content,
                                       Instant published, RawRecord record, String what) {
        String tid = TopJson.require(content, "tid", what);
        String seller = sellerKey.of(content, message, what);
        ObjectNode trade = TopApiClient.JSON.createObjectNode();
        if (config.tradeDetail()) {
            detail(tid, what).ifPresent(detail -> trade.setAll((ObjectNode) detail));
        }
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
            CustomerEvent.Builder event = origin.start("tmall:" + seller + ":tmc:" + messageId, EventTypes.INTERACTION,
                    EventTime.ofTrade(trade, stage, published, what), record);
            who.forEach(event::identity);
            return tmcExtras(event, messageId, topic, content)
                    .extra("event", topic)
                    .extra("status", TopJson.text(content, "status"))
                    .build();
        }
        CustomerEvent.Builder event = origin.start("tmall:" + seller + ":" + tid + ":" + stage.idPart(), stage.type,
                EventTime.ofTrade(trade, stage, published, what), record);
        String status = TopJson.text(trade, "status");
        return tmcExtras(TradeOrderMapper.map(event, trade, seller, tid, status, what), messageId, topic, content).build();
    }

    private Optional<JsonNode> detail(String tid, String what) {
        try {
            return api.tradeFullinfo(tid);
        } catch (TopRefusal e) {
            // The trade is gone or hidden from this app; the message alone still makes the event.
            log.log(System.Logger.Level.DEBUG, "no trade detail for {0}: {1}", what, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A successful refund. The CRM keeps one row per order, whose total the newest event sets and
     * which leaves the customer's spend once refunded; so only a refund of the whole trade is an
     * {@code order.refunded} (with the trade's payment as the total, what the buyer paid). A partial
     * refund is an interaction on the timeline under the same id, and the order keeps counting at
     * its price. The trade's payment comes from the message when it states one, else from
     * {@code taobao.trade.fullinfo.get} (with {@code trade-detail}); without it the extent is unknown
     * and the refund is recorded as partial, which never shrinks a customer's spend wrongly.
     */
    private CustomerEvent refund(String messageId, String topic, JsonNode content, String seller, Instant published,
                                 RawRecord record, String what) {
        String tid = TopJson.require(content, "tid", what);
        String refundId = TopJson.require(content, "refund_id", what);
        long refundFee = Yuan.fenOf(content, "refund_fee").orElseThrow(() ->
                new BadInputException(what + " has no refund_fee"));
        OptionalLong stated = Yuan.fenOf(content, "payment");
        List<Identity> who = BuyerIdentities.of(content, seller);
        // Refund messages hold the refund, not the trade's payment (nor, at times, the buyer): the trade does.
        Optional<JsonNode> trade = config.tradeDetail() && (stated.isEmpty() || who.isEmpty())
                ? detail(tid, what) : Optional.empty();
        if (who.isEmpty()) {
            who = trade.map(t -> BuyerIdentities.of(t, seller)).orElse(List.of());
        }
        if (who.isEmpty()) {
            throw new BadInputException(what + " names no buyer: no buyer_open_uid in the message or the trade");
        }
        OptionalLong payment = stated.isPresent() ? stated
                : trade.map(t -> Yuan.fenOf(t, "payment")).orElse(OptionalLong.empty());
        boolean whole = payment.isPresent() && refundFee >= payment.getAsLong()
                || trade.map(TmallNormalizer::everyLineRefunded).orElse(false);

        String status = Optional.ofNullable(TopJson.text(content, "status")).orElse("SUCCESS");
        String id = "tmall:" + seller + ":" + tid + ":refund:" + refundId;
        Instant time = EventTime.of(content, "modified", published, what);
        CustomerEvent.Builder event;
        if (whole && payment.isPresent()) {
            event = origin.start(id, EventTypes.ORDER_REFUNDED, time, record)
                    .order(new Order(tid, status, TradeOrderMapper.CURRENCY, payment.getAsLong(), trade.map(TradeOrderMapper::lines)
                            .orElse(List.of())));
        } else {
            // Part of the trade (or an extent nobody can tell): the order keeps its total and state.
            event = origin.start(id, EventTypes.INTERACTION, time, record)
                    .extra("event", topic)
                    .extra("orderId", tid)
                    .extra("refundMinor", refundFee)
                    .extra("paymentMinor", payment.isPresent() ? payment.getAsLong() : null)
                    .extra("status", status);
        }
        who.forEach(event::identity);
        return tmcExtras(event, messageId, topic, content)
                .extra("refundId", refundId)
                .extra("refundFeeMinor", refundFee)
                .extra("refundPhase", TopJson.text(content, "refund_phase"))
                .extra("billType", TopJson.text(content, "bill_type"))
                .build();
    }

    /** Whether the trade lists lines and TOP reports every one of them refunded ({@code refund_status=SUCCESS}). */
    private static boolean everyLineRefunded(JsonNode trade) {
        List<JsonNode> lines = TopApiClient.items(trade.path("orders"), "order");
        return !lines.isEmpty() && lines.stream().allMatch(line -> "SUCCESS".equals(TopJson.text(line, "refund_status")));
    }

    private static CustomerEvent.Builder tmcExtras(CustomerEvent.Builder event, String messageId, String topic,
                                                   JsonNode content) {
        return event.extra("via", "tmc")
                .extra("tmcMessageId", messageId)
                .extra("tmcTopic", topic)
                .extra("tid", TopJson.text(content, "tid"))
                .extra("oid", TopJson.text(content, "oid"))
                .extra("buyerNick", TopJson.text(content, "buyer_nick"));
    }

    // ---------------------------------------------------------------------------------------
    // Shared pieces
    // ---------------------------------------------------------------------------------------

    /** A TMC message's content: a JSON string holding an object (an object is accepted too). */
    private static JsonNode content(JsonNode message, String what) {
        JsonNode content = message.path("content");
        if (content.isObject()) {
            return content;
        }
        if (!content.isTextual()) {
            throw new BadInputException(what + " has no content");
        }
        return TopJson.object(content.textValue().getBytes(StandardCharsets.UTF_8), what + " content");
    }
}
