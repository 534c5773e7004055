package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.FormParameter;
import com.github.tomakehurst.wiremock.http.Request;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tmall/Taobao's TOP gateway (PROTOCOLS §5) at {@code /top/router/rest}: the seller check, TMC in
 * pull mode (a message stays queued until confirmed, and is handed out again after a while if it
 * is not), the trade detail and the incremental sync over the day's trades. Answers in TOP's default
 * JSON (lists wrapped, amounts as yuan strings, Beijing times).
 */
final class TopChannel {

    private static final DateTimeFormatter TOP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    /** How long a consumed, unconfirmed TMC message waits before TMC hands it out again. */
    private static final long REDELIVER_MILLIS = 60_000;

    /** One trade of the shop, as it stands. */
    static final class Trade {
        final String tid;
        final Person buyer;
        final String receiverPhone;
        final String title;
        final long fen;
        final Instant created;
        volatile String status;
        volatile Instant modified;

        Trade(String tid, Person buyer, String receiverPhone, String title, long fen, Instant created) {
            this.tid = tid;
            this.buyer = buyer;
            this.receiverPhone = receiverPhone;
            this.title = title;
            this.fen = fen;
            this.created = created;
            this.modified = created;
            this.status = "WAIT_SELLER_SEND_GOODS";
        }
    }

    private record Queued(ObjectNode message, long handedOutAt) {
    }

    private final Map<String, Trade> trades = new LinkedHashMap<>();
    private final Map<String, Queued> tmc = new LinkedHashMap<>();
    private final AtomicLong messageIds = new AtomicLong(7_200_000_000_000_000_000L);

    void install(WireMockServer server, Answers answers) {
        answers.register("top", this::answer);
        server.stubFor(post(urlPathEqualTo("/top/router/rest")).willReturn(Answers.by("top")));
    }

    private synchronized ResponseDefinitionBuilder answer(Request request) {
        String method = form(request, "method");
        return switch (method) {
            case "taobao.user.seller.get" -> {
                ObjectNode seller = Recorded.json("tmall/api/user-seller-get.json");
                ObjectNode user = (ObjectNode) seller.path("user_seller_get_response").path("user");
                user.put("nick", BrandAccounts.TOP_SELLER_NICK);
                user.put("user_id", Long.parseLong(BrandAccounts.TOP_SELLER_ID));
                yield Answers.json(seller.toString());
            }
            case "taobao.tmc.messages.consume" -> Answers.json(consume(Integer.parseInt(form(request, "quantity"))));
            case "taobao.tmc.messages.confirm" -> {
                java.util.Arrays.stream(form(request, "s_message_ids").split(",")).map(String::strip).forEach(tmc::remove);
                yield Answers.json(Recorded.text("tmall/api/tmc-confirm.json"));
            }
            case "taobao.trade.fullinfo.get" -> {
                Trade trade = trades.get(form(request, "tid"));
                yield trade == null ? error("isv.trade-not-exist", "交易不存在")
                        : Answers.json("{\"trade_fullinfo_get_response\":{\"trade\":" + trade(trade) + ",\"request_id\":\"demo\"}}");
            }
            case "taobao.trades.sold.increment.get" -> Answers.json(increment(request));
            default -> error("isv.method-not-exist", "method " + method + " is not simulated");
        };
    }

    private String consume(int quantity) {
        long now = System.currentTimeMillis();
        ObjectNode answer = Recorded.JSON.createObjectNode();
        ObjectNode response = answer.putObject("tmc_messages_consume_response");
        ArrayNode list = Recorded.JSON.createArrayNode();
        for (Map.Entry<String, Queued> entry : tmc.entrySet()) {
            if (list.size() >= quantity) {
                break;
            }
            if (now - entry.getValue().handedOutAt() >= REDELIVER_MILLIS) {
                list.add(entry.getValue().message());
                entry.setValue(new Queued(entry.getValue().message(), now));
            }
        }
        if (!list.isEmpty()) {
            response.putObject("messages").set("tmc_message", list);
        }
        response.put("request_id", "demo" + now);
        return answer.toString();
    }

    private String increment(Request request) {
        Instant from = LocalDateTime.parse(form(request, "start_modified"), TOP_TIME).toInstant(BEIJING);
        Instant to = LocalDateTime.parse(form(request, "end_modified"), TOP_TIME).toInstant(BEIJING);
        List<Trade> window = new ArrayList<>();
        for (Trade trade : trades.values()) {
            Instant modified = trade.modified;
            if (!modified.isBefore(from) && !modified.isAfter(to)) {
                window.add(trade);
            }
        }
        window.sort(Comparator.comparing((Trade t) -> t.modified).reversed());
        ObjectNode answer = Recorded.json("tmall/api/trades-increment-empty.json");
        ObjectNode response = (ObjectNode) answer.path("trades_sold_increment_get_response");
        response.put("has_next", false);
        if (!"true".equals(form(request, "use_has_next"))) {
            response.put("total_results", window.size());
        }
        if (!window.isEmpty()) {
            ArrayNode list = response.putObject("trades").putArray("trade");
            window.forEach(t -> list.add(trade(t)));
        }
        return answer.toString();
    }

    private ObjectNode trade(Trade t) {
        ObjectNode answer = Recorded.json("tmall/api/trade-fullinfo-3712345678901234601.json");
        ObjectNode trade = (ObjectNode) answer.path("trade_fullinfo_get_response").path("trade");
        String yuan = yuan(t.fen);
        trade.put("tid", t.tid);
        trade.put("status", t.status);
        trade.put("payment", yuan);
        trade.put("total_fee", yuan);
        trade.put("post_fee", "0.00");
        trade.put("created", time(t.created));
        trade.put("pay_time", time(t.created.plusSeconds(40)));
        trade.put("modified", time(t.modified));
        if ("WAIT_SELLER_SEND_GOODS".equals(t.status)) {
            trade.remove("consign_time");
        } else {
            trade.put("consign_time", time(t.modified));
        }
        trade.put("buyer_nick", t.buyer.tmallNick());
        trade.put("buyer_open_uid", t.buyer.tmallOuid());
        trade.put("seller_nick", BrandAccounts.TOP_SELLER_NICK);
        trade.put("receiver_state", "上海");
        trade.put("receiver_city", "上海市");
        trade.put("receiver_mobile", t.receiverPhone);
        ObjectNode line = (ObjectNode) trade.path("orders").path("order").get(0);
        line.put("oid", t.tid);
        line.put("title", t.title);
        line.put("num", 1);
        line.put("price", yuan);
        line.put("payment", yuan);
        line.put("status", t.status);
        return trade;
    }

    private static ResponseDefinitionBuilder error(String subCode, String subMsg) {
        return Answers.json("{\"error_response\":{\"code\":15,\"msg\":\"Remote service error\",\"sub_code\":\"" + subCode
                + "\",\"sub_msg\":\"" + subMsg + "\",\"request_id\":\"demo\"}}");
    }

    // ---- what happens in the shop

    /** The buyer pays: the trade exists, and TMC queues {@code taobao_trade_TradeBuyerPay}. */
    synchronized Trade paid(String tid, Person buyer, String receiverPhone, String title, long fen) {
        Trade trade = new Trade(tid, buyer, receiverPhone, title, fen, Instant.now());
        trades.put(tid, trade);
        queue(trade, "taobao_trade_TradeBuyerPay");
        return trade;
    }

    /** The shop ships: {@code taobao_trade_TradeSellerShip}. */
    synchronized void shipped(Trade trade) {
        trade.status = "WAIT_BUYER_CONFIRM_GOODS";
        trade.modified = Instant.now();
        queue(trade, "taobao_trade_TradeSellerShip");
    }

    /** The buyer confirms receipt: {@code taobao_trade_TradeSuccess}. */
    synchronized void finished(Trade trade) {
        trade.status = "TRADE_FINISHED";
        trade.modified = Instant.now();
        queue(trade, "taobao_trade_TradeSuccess");
    }

    private void queue(Trade trade, String topic) {
        ObjectNode message = Recorded.json("tmall/tmc/trade-buyer-pay.json");
        ObjectNode content = (ObjectNode) Recorded.parse(message.path("content").asText());
        content.put("buyer_nick", trade.buyer.tmallNick());
        content.put("buyer_open_uid", trade.buyer.tmallOuid());
        content.put("oid", Long.parseLong(trade.tid));
        content.put("tid", Long.parseLong(trade.tid));
        content.put("payment", yuan(trade.fen));
        content.put("seller_nick", BrandAccounts.TOP_SELLER_NICK);
        content.put("status", trade.status);
        String id = Long.toString(messageIds.incrementAndGet());
        message.put("user_nick", BrandAccounts.TOP_SELLER_NICK);
        message.put("content", content.toString());
        message.put("id", Long.parseLong(id));
        message.put("pub_time", time(trade.modified));
        message.put("outgoing_time", time(Instant.now()));
        message.put("pub_app_key", BrandAccounts.TOP_APP_KEY);
        message.put("topic", topic);
        message.put("user_id", Long.parseLong(BrandAccounts.TOP_SELLER_ID));
        tmc.put(id, new Queued(message, 0));
    }

    private static String form(Request request, String name) {
        FormParameter parameter = request.formParameter(name);
        return parameter == null || !parameter.isPresent() ? "" : parameter.firstValue();
    }

    static String yuan(long fen) {
        return String.format("%d.%02d", fen / 100, fen % 100);
    }

    private static String time(Instant instant) {
        return TOP_TIME.format(instant.atOffset(BEIJING));
    }
}
