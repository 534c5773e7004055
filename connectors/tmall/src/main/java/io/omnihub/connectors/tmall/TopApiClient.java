package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Calls the TOP gateway through the hub's HTTP client, so every call gets the instance's circuit
 * breaker, retries and metrics.
 *
 * <p>Every call is a {@code POST} of a form-encoded body holding the system parameters
 * ({@code method, app_key, session, timestamp, format=json, v=2.0, sign_method, sign}) and the
 * API's own parameters. Everything travels in the body rather than the query so that the session
 * never appears in a URL, which proxies and metrics record. Queries are marked
 * {@link HttpRequest#asReadOnly() read-only} so the hub may retry them; the TMC consume and confirm
 * calls change the queue and are not.
 *
 * <p>TOP has no access token to fetch: the seller's session is configured, and when TOP refuses it
 * only a new authorisation helps ({@link TopErrors}).
 */
public final class TopApiClient {

    /** Jackson with exact decimals, so amounts sent as JSON numbers never pass through {@code double}. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Which of two "tid"s (or two response wrappers) counts must not be left to the parser.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The trade fields the normalizer reads, for the incremental sync and the trade detail. */
    public static final String TRADE_FIELDS = String.join(",",
            "tid", "status", "type", "payment", "total_fee", "post_fee", "created", "pay_time", "consign_time",
            "end_time", "modified", "buyer_nick", "buyer_open_uid", "seller_nick", "receiver_state", "receiver_city",
            "receiver_mobile", "orders.oid", "orders.title", "orders.num", "orders.price", "orders.payment",
            "orders.sku_id", "orders.num_iid", "orders.outer_sku_id", "orders.cid", "orders.status", "orders.refund_status");

    public static final String USER_SELLER_GET = "taobao.user.seller.get";
    public static final String TRADES_SOLD_INCREMENT_GET = "taobao.trades.sold.increment.get";
    public static final String TRADE_FULLINFO_GET = "taobao.trade.fullinfo.get";
    public static final String TMC_MESSAGES_CONSUME = "taobao.tmc.messages.consume";
    public static final String TMC_MESSAGES_CONFIRM = "taobao.tmc.messages.confirm";

    private static final String FORM = "application/x-www-form-urlencoded;charset=utf-8";

    private final ConnectorContext ctx;
    private final TmallConfig config;

    public TopApiClient(ConnectorContext ctx, TmallConfig config) {
        this.ctx = ctx;
        this.config = config;
    }

    /** {@code taobao.user.seller.get}: the authorised seller; the cheap call that proves app and session. */
    public JsonNode sellerGet() {
        return call(USER_SELLER_GET, Map.of("fields", "user_id,nick,type"), true, true).path("user");
    }

    /**
     * One page of {@code taobao.trades.sold.increment.get} for trades modified in
     * {@code [from, to]} (at most one day apart), newest-modified first, with
     * {@code use_has_next=true}: the cheap form, which says whether more pages follow but not how
     * many trades there are.
     */
    public TradePage tradesSoldIncrement(Instant from, Instant to, int pageNo, int pageSize) {
        return tradesSoldIncrement(from, to, pageNo, pageSize, true);
    }

    /**
     * One page of {@code taobao.trades.sold.increment.get} like {@link #tradesSoldIncrement}, but
     * without {@code use_has_next}, so that TOP counts the window's trades
     * ({@link TradePage#totalResults()}): what paging backwards needs to find the last page.
     */
    public TradePage tradesSoldIncrementCounted(Instant from, Instant to, int pageNo, int pageSize) {
        return tradesSoldIncrement(from, to, pageNo, pageSize, false);
    }

    private TradePage tradesSoldIncrement(Instant from, Instant to, int pageNo, int pageSize, boolean useHasNext) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("fields", TRADE_FIELDS);
        params.put("start_modified", TopTime.format(from));
        params.put("end_modified", TopTime.format(to));
        params.put("page_no", Integer.toString(pageNo));
        params.put("page_size", Integer.toString(pageSize));
        if (useHasNext) {
            params.put("use_has_next", "true");
        }
        JsonNode answer = call(TRADES_SOLD_INCREMENT_GET, params, true, true);
        JsonNode total = answer.path("total_results");
        return new TradePage(items(answer.path("trades"), "trade"), answer.path("has_next").asBoolean(false),
                total.canConvertToLong() || total.isTextual() && total.asText().matches("\\d{1,18}")
                        ? OptionalLong.of(total.asLong()) : OptionalLong.empty());
    }

    /**
     * One page of trades.
     *
     * @param trades       the page's trades, newest-modified first
     * @param hasNext      whether TOP has more pages for the same window ({@code use_has_next} form)
     * @param totalResults how many trades the window holds, when TOP counted them (the form without
     *                     {@code use_has_next})
     */
    public record TradePage(List<JsonNode> trades, boolean hasNext, OptionalLong totalResults) {
        public TradePage {
            trades = List.copyOf(trades);
        }
    }

    /** {@code taobao.trade.fullinfo.get}: the trade with {@link #TRADE_FIELDS}; empty when TOP answers none. */
    public Optional<JsonNode> tradeFullinfo(String tid) {
        JsonNode trade = call(TRADE_FULLINFO_GET, Map.of("fields", TRADE_FIELDS, "tid", tid), true, true).path("trade");
        return trade.isObject() ? Optional.of(trade) : Optional.empty();
    }

    /**
     * {@code taobao.tmc.messages.consume}: up to {@code quantity} messages of {@code group}. TOP
     * hands them out again unless they are confirmed, so this call is not read-only.
     */
    public List<JsonNode> tmcConsume(String group, int quantity) {
        JsonNode answer = call(TMC_MESSAGES_CONSUME,
                Map.of("group_name", group, "quantity", Integer.toString(quantity)), false, false);
        return items(answer.path("messages"), "tmc_message");
    }

    /** {@code taobao.tmc.messages.confirm}: the messages {@code ids} of {@code group} are processed. */
    public void tmcConfirm(String group, Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        JsonNode answer = call(TMC_MESSAGES_CONFIRM,
                Map.of("group_name", group, "s_message_ids", String.join(",", ids)), false, false);
        if (answer.has("is_success") && !answer.path("is_success").asBoolean()) {
            throw new TransientException("TOP did not confirm " + ids.size() + " TMC message(s) of group " + group);
        }
    }

    /**
     * The elements of a TOP list: either a JSON array (simplified answers) or an object wrapping one
     * array under {@code itemName} ({@code "trades":{"trade":[...]}}, the default format).
     */
    static List<JsonNode> items(JsonNode list, String itemName) {
        JsonNode array = list.isArray() ? list : list.path(itemName);
        List<JsonNode> items = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(items::add);
        } else if (array.isObject()) {
            items.add(array);
        }
        return items;
    }

    /**
     * Calls {@code method} and answers the content of its {@code <api>_response} object.
     *
     * @param withSession whether the API acts for the seller (most do; TMC pulls are the app's own)
     * @param readOnly    whether the call only reads, so the hub may repeat it
     */
    JsonNode call(String method, Map<String, String> apiParams, boolean withSession, boolean readOnly) {
        Map<String, String> params = new TreeMap<>(apiParams);
        params.put("method", method);
        params.put("app_key", config.appKey());
        if (withSession) {
            params.put("session", config.session());
        }
        params.put("timestamp", TopTime.format(ctx.clock().instant()));
        params.put("format", "json");
        params.put("v", "2.0");
        params.put("sign_method", config.signMethod().id());
        params.put("sign", TopSigner.sign(params, config.appSecret(), config.signMethod()));

        HttpRequest request = new HttpRequest("POST", config.apiBaseUrl(), Map.of("Content-Type", List.of(FORM)),
                form(params), HttpRequest.DEFAULT_TIMEOUT);
        HttpResponse response = ctx.http().send(readOnly ? request.asReadOnly() : request);
        if (response.status() == 429) {
            throw new RateLimitedException("TOP answered HTTP 429 to " + method, TopErrors.DEFAULT_RETRY_AFTER);
        }
        if (!response.isSuccess()) {
            throw new TransientException("TOP answered HTTP " + response.status() + " to " + method);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException | NumberFormatException e) {
            // NumberFormatException: an exponent beyond what BigDecimal takes, which Jackson lets through unchecked.
            // Gateways and proxies answer 200 with HTML pages when TOP is unreachable behind them.
            throw new TransientException("TOP answered " + method + " with a body that is not JSON");
        }
        if (answer == null || !answer.isObject()) {
            throw new TransientException("TOP answered " + method + " with something other than a JSON object");
        }
        JsonNode error = answer.get("error_response");
        if (error != null) {
            throw TopErrors.of(method, error);
        }
        JsonNode result = answer.get(responseName(method));
        if (result == null || !result.isObject()) {
            throw new TransientException("TOP answered " + method + " without " + responseName(method));
        }
        return result;
    }

    /** {@code taobao.trade.fullinfo.get} answers in {@code trade_fullinfo_get_response}. */
    static String responseName(String method) {
        String name = method.startsWith("taobao.") ? method.substring("taobao.".length()) : method;
        return name.replace('.', '_') + "_response";
    }

    private static byte[] form(Map<String, String> params) {
        StringJoiner body = new StringJoiner("&");
        params.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
