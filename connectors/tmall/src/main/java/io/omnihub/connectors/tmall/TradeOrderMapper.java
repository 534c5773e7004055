package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Puts a TOP trade on an event: the buyer's identities, the order with its lines, and what else the trade says. */
final class TradeOrderMapper {

    static final String CURRENCY = "CNY";

    private TradeOrderMapper() {
    }

    /** {@code event} with the trade's identities, order ({@code tid} in {@code status}), attributes and extras. */
    static CustomerEvent.Builder map(CustomerEvent.Builder event, JsonNode trade, String seller, String tid,
                                     String status, String what) {
        List<Identity> who = BuyerIdentities.of(trade, seller);
        if (who.isEmpty()) {
            throw new BadInputException(what + " names no buyer: no buyer_open_uid and no plain receiver_mobile");
        }
        who.forEach(event::identity);
        long total = Yuan.fenOf(trade, "payment").orElseGet(() -> Yuan.fenOf(trade, "total_fee").orElseThrow(() ->
                new BadInputException(what + " has neither payment nor total_fee")));
        List<Order.OrderLine> lines = lines(trade);
        boolean closedAfterPayment = "TRADE_CLOSED".equals(status) && TopJson.text(trade, "pay_time") != null;
        return event.order(new Order(tid, status, CURRENCY, total, lines))
                .attribute("province", TopJson.text(trade, "receiver_state"))
                .attribute("city", TopJson.text(trade, "receiver_city"))
                .extra("buyerNick", TopJson.text(trade, "buyer_nick"))
                .extra("tradeType", TopJson.text(trade, "type"))
                .extra("postFeeMinor", TopJson.fen(trade, "post_fee"))
                .extra("closedAfterPayment", closedAfterPayment ? Boolean.TRUE : null);
    }

    /** The trade's lines: sku (else item id), title, quantity, unit price, leaf category id ({@code cid}). */
    static List<Order.OrderLine> lines(JsonNode trade) {
        List<Order.OrderLine> lines = new ArrayList<>();
        for (JsonNode line : TopApiClient.items(trade.path("orders"), "order")) {
            lines.add(new Order.OrderLine(
                    Optional.ofNullable(TopJson.text(line, "sku_id")).orElse(TopJson.text(line, "num_iid")),
                    TopJson.text(line, "title"),
                    line.path("num").asLong(1),
                    Yuan.fenOf(line, "price").orElse(0),
                    TopJson.text(line, "cid")));
        }
        return lines;
    }
}
