package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The event a successful refund ({@code taobao_refund_RefundSuccess}) makes. The CRM keeps one row
 * per order, whose total the newest event sets and which leaves the customer's spend once refunded;
 * so only a refund of the whole trade is an {@code order.refunded} (with the trade's payment as the
 * total, what the buyer paid). A partial refund is an interaction on the timeline under the same id,
 * and the order keeps counting at its price. The trade's payment comes from the message when it
 * states one, else from {@code taobao.trade.fullinfo.get} (with {@code trade-detail}); without it the
 * extent is unknown and the refund is recorded as partial, which never shrinks a customer's spend
 * wrongly.
 */
final class RefundEvents {

    private final EventOrigin origin;
    private final TradeDetail detail;

    RefundEvents(EventOrigin origin, TradeDetail detail) {
        this.origin = origin;
        this.detail = detail;
    }

    CustomerEvent normalize(TmcMessage message, String seller, RawRecord record) {
        String what = message.what();
        JsonNode content = message.content();
        String tid = TopJson.require(content, "tid", what);
        String refundId = TopJson.require(content, "refund_id", what);
        long refundFee = Yuan.fenOf(content, "refund_fee").orElseThrow(() ->
                new BadInputException(what + " has no refund_fee"));
        OptionalLong stated = Yuan.fenOf(content, "payment");
        List<Identity> who = BuyerIdentities.of(content, seller);
        // Refund messages hold the refund, not the trade's payment (nor, at times, the buyer): the trade does.
        Optional<JsonNode> trade = stated.isEmpty() || who.isEmpty() ? detail.lookup(tid, what) : Optional.empty();
        if (who.isEmpty()) {
            who = trade.map(t -> BuyerIdentities.of(t, seller)).orElse(List.of());
        }
        if (who.isEmpty()) {
            throw new BadInputException(what + " names no buyer: no buyer_open_uid in the message or the trade");
        }
        OptionalLong payment = stated.isPresent() ? stated
                : trade.map(t -> Yuan.fenOf(t, "payment")).orElse(OptionalLong.empty());
        boolean whole = payment.isPresent() && refundFee >= payment.getAsLong()
                || trade.map(RefundEvents::everyLineRefunded).orElse(false);

        String status = Optional.ofNullable(TopJson.text(content, "status")).orElse("SUCCESS");
        String id = "tmall:" + seller + ":" + tid + ":refund:" + refundId;
        Instant time = EventTime.of(content, "modified", message.published(), what);
        CustomerEvent.Builder event;
        if (whole && payment.isPresent()) {
            event = origin.start(id, EventTypes.ORDER_REFUNDED, time, record)
                    .order(new Order(tid, status, TradeOrderMapper.CURRENCY, payment.getAsLong(),
                            trade.map(TradeOrderMapper::lines).orElse(List.of())));
        } else {
            // Part of the trade (or an extent nobody can tell): the order keeps its total and state.
            event = origin.start(id, EventTypes.INTERACTION, time, record)
                    .extra("event", message.topic())
                    .extra("orderId", tid)
                    .extra("refundMinor", refundFee)
                    .extra("paymentMinor", payment.isPresent() ? payment.getAsLong() : null)
                    .extra("status", status);
        }
        who.forEach(event::identity);
        return message.extras(event)
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
}
