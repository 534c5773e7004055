package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.state.TokenCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns 抖店 push messages into canonical events, asking the open API who the buyer is.
 *
 * <p>A push names only the order ({@code p_id}), so for every mapped tag the normalizer calls
 * {@code order.orderDetail}: the buyer's {@code doudian_open_id} becomes a {@code doudian_openid}
 * identity namespaced by the shop id, the order's amounts (fen) and lines the {@link Order}, and,
 * unless {@code decrypt-phone=false}, the receiver phone ({@code encrypt_post_tel}, decrypted with
 * {@code order.batchDecrypt}) a {@code phone} identity. While the API is down the call throws a
 * {@link io.omnihub.connector.errors.TransientException} and the hub keeps the record for later.
 *
 * <p>抖店 refunds per sub-order (SKU): a refund-success message ({@value #REFUND_SUCCESS}) is an
 * {@code order.refunded} event, carrying the order's full {@code pay_amount}, only when
 * {@code refund_amount + refund_post_amount} covers that {@code pay_amount}. Any smaller refund (or
 * one stating no amount) is an {@code interaction.recorded} with {@code extra.refundMinor} and
 * {@code extra.orderId} and no {@link Order}, because the CRM core keeps one row per order and drops
 * a refunded order from the customer's spend altogether.
 *
 * <p>A record the webhook handler could not read as a message (an array element that is not an
 * object, or has no {@code tag}) is a {@link BadInputException} naming its position in the push and
 * its {@code msg_id}; the other messages of the push are unaffected.
 *
 * <p>Event ids are {@code doudian:<shop_id>:<msg_id>}, so a redelivered message has no effect.
 * Tags without a canonical meaning (logistics corrections, price changes before payment, seller
 * memos, test messages, anything unmapped) give no event and cost no API call; see {@link #TYPES}.
 */
public final class DoudianNormalizer implements Normalizer {

    /** The canonical type of each mapped tag; a tag not listed gives no event. */
    static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("100", EventTypes.ORDER_CREATED),
            Map.entry("101", EventTypes.ORDER_PAID),
            Map.entry("102", EventTypes.ORDER_SHIPPED),
            Map.entry("103", EventTypes.ORDER_COMPLETED),
            Map.entry("105", EventTypes.PROFILE_UPDATED),
            Map.entry("106", EventTypes.ORDER_CANCELLED),
            Map.entry("108", EventTypes.ORDER_SHIPPED),
            Map.entry("110", EventTypes.ORDER_PAID),
            Map.entry("200", EventTypes.TICKET_OPENED),
            Map.entry("201", EventTypes.INTERACTION),
            Map.entry("202", EventTypes.INTERACTION),
            Map.entry("203", EventTypes.INTERACTION),
            Map.entry("204", EventTypes.INTERACTION),
            Map.entry("205", EventTypes.INTERACTION),
            Map.entry("206", EventTypes.ORDER_REFUNDED),
            Map.entry("207", EventTypes.TICKET_RESOLVED));

    /** 抖店's name of each mapped message (消息名称), kept in {@code extra.tagName}. */
    static final Map<String, String> TAG_NAMES = Map.ofEntries(
            Map.entry("100", "订单创建消息"),
            Map.entry("101", "订单支付/确认消息"),
            Map.entry("102", "卖家发货消息"),
            Map.entry("103", "交易完成消息"),
            Map.entry("105", "买家收货信息变更消息"),
            Map.entry("106", "订单取消消息"),
            Map.entry("108", "卖家部分发货消息"),
            Map.entry("110", "订单已支付待处理"),
            Map.entry("200", "买家发起售后申请消息"),
            Map.entry("201", "同意退款消息"),
            Map.entry("202", "同意退货申请消息"),
            Map.entry("203", "买家退货给卖家消息"),
            Map.entry("204", "拒绝退款消息"),
            Map.entry("205", "拒绝退货申请消息"),
            Map.entry("206", "退款成功消息"),
            Map.entry("207", "售后关闭消息"));

    /** Where each tag says when it happened; {@code update_time} and {@code create_time} follow. */
    private static final Map<String, List<String>> TIME_FIELDS = Map.of(
            "100", List.of("create_time"),
            "101", List.of("pay_time"),
            "110", List.of("pay_time"),
            "103", List.of("complete_time"),
            "106", List.of("cancel_time"),
            "200", List.of("apply_time"),
            "206", List.of("success_time"));

    static final String CURRENCY = "CNY";
    /** 退款成功消息: {@code order.refunded} only when it gave back the whole order, see {@link #normalize}. */
    static final String REFUND_SUCCESS = "206";

    /** Cache key prefix of a decrypted receiver phone ({@value}{@code <order_id>:<digest of the cipher>}). */
    static final String PHONE_KEY_PREFIX = "doudian_phone:";
    /** Cached for a cipher that decrypts to no usable phone (a virtual number). */
    static final String NO_PHONE = "-";
    /**
     * How long a decrypted phone is remembered: an order's messages (created, paid, shipped,
     * completed) arrive within days, and each decryption costs the shop's limited decrypt quota.
     */
    static final Duration PHONE_TTL = Duration.ofHours(24);

    private final String connectorId;
    private final String instanceId;
    private final DouyinConfig config;
    private final DoudianApiClient api;
    private final TokenCache cache;
    private final System.Logger logger;

    public DoudianNormalizer(ConnectorContext ctx, DouyinConfig config, DoudianApiClient api) {
        this.connectorId = ctx.connectorId();
        this.instanceId = ctx.instanceId();
        this.config = config;
        this.api = api;
        this.cache = ctx.tokens();
        this.logger = ctx.logger();
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode message;
        try {
            message = DouyinJson.read(record.payload());
        } catch (IOException e) {
            throw new BadInputException("抖店 record is not JSON: " + DouyinJson.problem(e));
        }
        if (!message.isObject()) {
            throw new BadInputException(where(record, message) + " is not a JSON object but " + message.getNodeType()
                    + "; the other messages of its push were kept");
        }
        String tag = DouyinJson.text(message, "tag");
        if (tag.isEmpty()) {
            throw new BadInputException(where(record, message) + " has no 'tag'; the other messages of its push were kept");
        }
        String type = TYPES.get(tag);
        if (type == null) {
            return List.of();
        }
        JsonNode data = DouyinJson.objectOrJsonString(message, "data", "抖店 message " + tag)
                .orElseThrow(() -> new BadInputException("抖店 message " + tag + " has no 'data'"));
        // The record says which shop it came from; the config is only the fallback.
        String shopId = record.attributes().getOrDefault("shopId", config.shopId());
        String dataShop = DouyinJson.id(data, "shop_id");
        if (!dataShop.isEmpty() && !dataShop.equals(shopId)) {
            throw new BadInputException("抖店 message " + tag + " is for shop " + DouyinJson.quote(dataShop)
                    + " but this instance serves shop " + shopId + "; configure one instance per shop");
        }
        String pId = DouyinJson.id(data, "p_id");
        if (!pId.matches("[0-9]{1,20}")) {
            // Not quoted: a field of the wrong kind may hold anything, personal data included.
            throw new BadInputException("抖店 message " + tag + " has no numeric p_id (shop order id)"
                    + (pId.isEmpty() ? "" : ": it holds " + pId.length() + " characters of something else"));
        }

        JsonNode detail = api.orderDetail(pId);
        String orderId = DouyinJson.id(detail, "order_id");
        orderId = orderId.isEmpty() ? pId : orderId;
        List<Identity> identities = identities(detail, orderId, shopId);
        if (identities.isEmpty()) {
            throw new BadInputException("抖店 order " + orderId + " has neither a doudian_open_id nor a decryptable "
                    + "receiver phone: no customer to attribute message " + tag + " to");
        }

        Order order = type.startsWith("order.") ? order(orderId, tag, data, detail) : null;
        OptionalLong refunded = REFUND_SUCCESS.equals(tag) ? refunded(data, tag) : OptionalLong.empty();
        boolean partialRefund = REFUND_SUCCESS.equals(tag)
                && (refunded.isEmpty() || refunded.getAsLong() < order.totalMinor());
        if (partialRefund) {
            // One sub-order (SKU) or part of the money back: the order still counts at its price.
            type = EventTypes.INTERACTION;
        }

        String msgId = DouyinJson.id(message, "msg_id");
        OptionalLong time = time(tag, data);
        CustomerEvent.Builder event = CustomerEvent.builder(eventId(shopId, msgId, tag, data, pId, time), type)
                .source(connectorId, instanceId)
                .time(time.isPresent() ? Instant.ofEpochSecond(time.getAsLong())
                        : DouyinJson.epochSeconds(detail, "update_time").map(Instant::ofEpochSecond).orElse(record.receivedAt()))
                .receivedAt(record.receivedAt());
        identities.forEach(event::identity);
        event.extra("tag", tag)
                .extra("tagName", TAG_NAMES.get(tag))
                .extra("msgId", msgId.isEmpty() ? null : msgId)
                .extra("pId", pId);
        afterSaleExtras(tag, data, event);
        if (REFUND_SUCCESS.equals(tag)) {
            event.extra("orderId", orderId)
                    .extra("refundMinor", refunded.isPresent() ? refunded.getAsLong() : null)
                    .extra("orderTotalMinor", order.totalMinor())
                    .extra("partialRefund", partialRefund);
        }
        if (type.startsWith("order.")) {
            event.order(order);
            event.extra("sIds", sIds(data));
            if ("108".equals(tag)) {
                event.extra("partialShipment", true);
            }
            String cancelReason = DouyinJson.text(data, "cancel_reason");
            event.extra("cancelReason", cancelReason.isEmpty() ? null : cancelReason);
        }
        return List.of(event.build());
    }

    /**
     * The money a refund-success message gave back: {@code refund_amount} plus
     * {@code refund_post_amount} (the refunded shipping), in fen; empty when the message states no
     * {@code refund_amount}, which cannot be told from a partial refund.
     */
    private static OptionalLong refunded(JsonNode data, String tag) {
        String what = "抖店 message " + tag;
        OptionalLong amount = DouyinJson.integer(data, "refund_amount", what);
        if (amount.isEmpty()) {
            return amount;
        }
        OptionalLong post = DouyinJson.integer(data, "refund_post_amount", what);
        try {
            return OptionalLong.of(Math.addExact(amount.getAsLong(), post.orElse(0)));
        } catch (ArithmeticException e) {
            throw new BadInputException(what + " states a refund_amount and refund_post_amount beyond any amount");
        }
    }

    /**
     * Which message of which push a record is, for errors: {@code 抖店 push message #2 (msg_id 70…)}.
     * The position is the one the webhook handler recorded; records kept before it did have none.
     */
    private static String where(RawRecord record, JsonNode message) {
        String position = record.attributes().getOrDefault(DoudianWebhookHandler.POSITION, "");
        String msgId = message.isObject() ? DouyinJson.id(message, "msg_id") : "";
        return "抖店 push message" + (position.isEmpty() ? "" : " #" + position)
                + (msgId.isEmpty() ? "" : " (msg_id " + msgId + ")");
    }

    private List<Identity> identities(JsonNode detail, String orderId, String shopId) {
        List<Identity> identities = new ArrayList<>();
        String buyer = DouyinJson.text(detail, "doudian_open_id");
        if (!buyer.isEmpty()) {
            identities.add(Identity.of(IdentityTypes.DOUDIAN_OPENID, buyer, shopId).withEvidence(Evidence.VERIFIED));
        }
        // the decrypted receiver phone (post_tel): a gift goes to someone else
        phone(detail, orderId).map(p -> p.withEvidence(Evidence.DELIVERY)).ifPresent(identities::add);
        return identities;
    }

    /**
     * The receiver phone of the order, decrypted. Optional by nature: a virtual number (隐私号)
     * identifies no one, and a refused decryption (quota, data past its retention) must not hold the
     * order event back; an outage, though, propagates so the record is retried.
     *
     * <p>The answer is cached per order and cipher (a changed address is a new cipher), so the
     * several messages of one order cost one decryption.
     */
    private Optional<Identity> phone(JsonNode detail, String orderId) {
        String cipher = DouyinJson.text(detail, "encrypt_post_tel");
        if (!config.decryptPhone() || cipher.isEmpty()) {
            return Optional.empty();
        }
        String cacheKey = PHONE_KEY_PREFIX + orderId + ":" + digest(cipher);
        Optional<String> cached = cache.get(cacheKey);
        if (cached.isPresent()) {
            return NO_PHONE.equals(cached.get()) ? Optional.empty() : Optional.of(Identity.phone(cached.get()));
        }
        Optional<JsonNode> decrypted;
        try {
            decrypted = api.decrypt(orderId, cipher);
        } catch (DoudianErrors.DoudianRefusal e) {
            logger.log(System.Logger.Level.WARNING, "抖店 refused to decrypt the receiver phone of an order ({0}); "
                    + "the event goes on without it", Long.toString(e.code()));
            return Optional.empty();
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + "; grant the app the decryption permission or set "
                    + DouyinConfig.DECRYPT_PHONE + "=false", e);
        }
        if (decrypted.isEmpty()) {
            return Optional.empty();
        }
        JsonNode info = decrypted.get();
        long errNo = info.path("err_no").asLong(0);
        if (errNo != 0) {
            // Not cached: quota and similar refusals may pass on a later message of the order.
            logger.log(System.Logger.Level.WARNING, "抖店 could not decrypt the receiver phone of an order ({0} {1})",
                    Long.toString(errNo), DouyinJson.cut(info.path("err_msg").asText("")));
            return Optional.empty();
        }
        Optional<Identity> phone = Optional.empty();
        if (!info.path("is_virtual_tel").asBoolean(false)) {
            try {
                phone = Optional.of(Identity.phone(DouyinJson.text(info, "decrypt_text")));
            } catch (IllegalArgumentException e) {
                // not a phone number: no identity
            }
        }
        cache.put(cacheKey, phone.map(Identity::value).orElse(NO_PHONE), PHONE_TTL);
        return phone;
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private static Order order(String orderId, String tag, JsonNode data, JsonNode detail) {
        String what = "抖店 order " + orderId;
        OptionalLong total = DouyinJson.integer(detail, "pay_amount", what);
        if (total.isEmpty()) {
            total = DouyinJson.integer(data, "pay_amount", "抖店 message " + tag);
        }
        if (total.isEmpty()) {
            throw new BadInputException(what + " has no pay_amount");
        }
        String status = DouyinJson.id(data, "order_status");
        if (status.isEmpty()) {
            status = DouyinJson.id(detail, "order_status");
        }
        List<Order.OrderLine> lines = new ArrayList<>();
        for (JsonNode sku : detail.path("sku_order_list")) {
            String line = what + " sku order";
            OptionalLong quantity = DouyinJson.integer(sku, "item_num", line);
            OptionalLong unitPrice = DouyinJson.integer(sku, "origin_amount", line);
            String skuId = DouyinJson.id(sku, "sku_id");
            String name = DouyinJson.text(sku, "product_name");
            lines.add(new Order.OrderLine(skuId.isEmpty() ? null : skuId, name.isEmpty() ? null : name,
                    quantity.orElse(1), unitPrice.orElse(0), category(sku)));
        }
        return new Order(orderId, status.isEmpty() ? null : status, CURRENCY, total.getAsLong(), lines);
    }

    /**
     * The line's category: the deepest of {@code fourth_cid}, {@code third_cid}, {@code second_cid},
     * {@code first_cid} that is set (抖店's category ids; 0 means none at that level).
     */
    private static String category(JsonNode sku) {
        for (String level : List.of("fourth_cid", "third_cid", "second_cid", "first_cid")) {
            String cid = DouyinJson.id(sku, level);
            if (!cid.isEmpty() && !cid.equals("0")) {
                return cid;
            }
        }
        return null;
    }

    private static void afterSaleExtras(String tag, JsonNode data, CustomerEvent.Builder event) {
        if (!tag.startsWith("2")) {
            return;
        }
        String what = "抖店 message " + tag;
        OptionalLong refund = DouyinJson.integer(data, "refund_amount", what);
        OptionalLong refundPost = DouyinJson.integer(data, "refund_post_amount", what);
        event.extra("aftersaleId", blankToNull(DouyinJson.id(data, "aftersale_id")))
                .extra("sId", blankToNull(DouyinJson.id(data, "s_id")))
                .extra("aftersaleStatus", blankToNull(DouyinJson.id(data, "aftersale_status")))
                .extra("aftersaleType", blankToNull(DouyinJson.id(data, "aftersale_type")))
                .extra("reasonCode", blankToNull(DouyinJson.id(data, "reason_code")))
                .extra("refundAmountMinor", refund.isPresent() ? refund.getAsLong() : null)
                .extra("refundPostAmountMinor", refundPost.isPresent() ? refundPost.getAsLong() : null);
    }

    private static String eventId(String shopId, String msgId, String tag, JsonNode data, String pId, OptionalLong time) {
        if (!msgId.isEmpty()) {
            return "doudian:" + shopId + ":" + msgId;
        }
        // No msg_id: what the message is about, and when, is the next best dedupe key.
        String subject = DouyinJson.id(data, "aftersale_id");
        return "doudian:" + shopId + ":" + tag + ":" + (subject.isEmpty() ? pId : subject)
                + (time.isPresent() ? ":" + time.getAsLong() : "");
    }

    private static OptionalLong time(String tag, JsonNode data) {
        List<String> fields = new ArrayList<>(TIME_FIELDS.getOrDefault(tag, List.of()));
        fields.add("update_time");
        fields.add("create_time");
        for (String field : fields) {
            Optional<Long> value = DouyinJson.epochSeconds(data, field);
            if (value.isPresent()) {
                return OptionalLong.of(value.get());
            }
        }
        return OptionalLong.empty();
    }

    private static List<String> sIds(JsonNode data) {
        List<String> ids = new ArrayList<>();
        for (JsonNode id : data.path("s_ids")) {
            ids.add(id.isIntegralNumber() ? id.bigIntegerValue().toString() : id.asText());
        }
        return ids.isEmpty() ? null : ids;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
