package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * 抖店 (PROTOCOLS §4): its API under {@code /doudian} (token.create, order.orderDetail,
 * order.batchDecrypt) answering for the orders of the day, and its message pushes, signed
 * {@code event-sign = md5_hex(app_key + body + app_secret)}. Requests are not checked for their
 * signature: the connector's own tests do that byte for byte.
 */
final class DoudianChannel {

    /** One order of the shop. */
    record ShopOrder(String orderId, Person buyer, String receiverPhone, String product, long fen, long createdAt) {
        /** The one sub-order (SKU line) of the order. */
        String subOrderId() {
            return Long.toString(Long.parseLong(orderId) + 1);
        }

        String cipher() {
            return "#demo#" + orderId + "#" + Integer.toHexString(receiverPhone.hashCode()) + "==*CgkIAR#1##";
        }
    }

    private final BrandAccounts accounts;
    private final Map<String, ShopOrder> orders = new ConcurrentHashMap<>();
    private final AtomicLong msgIds = new AtomicLong(7_100_000_000_000_000_000L);

    DoudianChannel(BrandAccounts accounts) {
        this.accounts = accounts;
    }

    void install(WireMockServer server, Answers answers) {
        ObjectNode token = Recorded.json("douyin/api/token-create.json");
        ObjectNode data = (ObjectNode) token.path("data");
        data.put("shop_id", BrandAccounts.DOUDIAN_SHOP_ID);
        data.put("authority_id", BrandAccounts.DOUDIAN_SHOP_ID);
        data.put("shop_name", BrandAccounts.BRAND + "抖店旗舰店");
        server.stubFor(post(urlPathEqualTo("/doudian/token/create")).willReturn(Answers.json(token.toString())));
        answers.register("doudian-order-detail", this::orderDetail);
        server.stubFor(post(urlPathEqualTo("/doudian/order/orderDetail")).willReturn(Answers.by("doudian-order-detail")));
        answers.register("doudian-decrypt", this::decrypt);
        server.stubFor(post(urlPathEqualTo("/doudian/order/batchDecrypt")).willReturn(Answers.by("doudian-decrypt")));
    }

    private ResponseDefinitionBuilder orderDetail(Request request) {
        String id = Recorded.parse(request.getBodyAsString()).path("shop_order_id").asText();
        ShopOrder order = orders.get(id);
        if (order == null) {
            return Answers.json("{\"code\":50002,\"msg\":\"业务处理失败\",\"sub_code\":\"isv.business-failed:订单不存在\","
                    + "\"sub_msg\":\"订单不存在\",\"log_id\":\"demo\",\"data\":{}}");
        }
        ObjectNode answer = Recorded.json("douyin/api/order-detail.json");
        ObjectNode detail = (ObjectNode) answer.path("data").path("shop_order_detail");
        detail.put("order_id", order.orderId());
        detail.put("shop_id", Long.parseLong(BrandAccounts.DOUDIAN_SHOP_ID));
        detail.put("shop_name", BrandAccounts.BRAND + "抖店旗舰店");
        detail.put("order_amount", order.fen());
        detail.put("pay_amount", order.fen());
        detail.put("create_time", order.createdAt());
        detail.put("pay_time", order.createdAt() + 60);
        detail.put("update_time", System.currentTimeMillis() / 1000);
        detail.put("doudian_open_id", order.buyer().doudianOpenId());
        detail.put("encrypt_post_tel", order.cipher());
        detail.put("mask_post_tel", order.receiverPhone().substring(0, 3) + "****" + order.receiverPhone().substring(7));
        detail.put("buyer_words", "");
        ArrayNode lines = (ArrayNode) detail.path("sku_order_list");
        ObjectNode line = (ObjectNode) lines.get(0);
        lines.removeAll();
        lines.add(line);
        line.put("order_id", order.subOrderId());
        line.put("parent_order_id", order.orderId());
        line.put("product_name", order.product());
        line.put("origin_amount", order.fen());
        line.put("sum_amount", order.fen());
        line.put("pay_amount", order.fen());
        return Answers.json(answer.toString());
    }

    private ResponseDefinitionBuilder decrypt(Request request) {
        JsonNode asked = Recorded.parse(request.getBodyAsString()).path("cipher_infos");
        ObjectNode answer = Recorded.json("douyin/api/batch-decrypt.json");
        ArrayNode infos = (ArrayNode) answer.path("data").path("decrypt_infos");
        ObjectNode template = (ObjectNode) infos.get(0);
        infos.removeAll();
        for (JsonNode one : asked) {
            ShopOrder order = orders.get(one.path("auth_id").asText());
            ObjectNode info = template.deepCopy();
            info.put("auth_id", one.path("auth_id").asText());
            info.put("cipher_text", one.path("cipher_text").asText());
            info.put("decrypt_text", order == null ? "" : order.receiverPhone());
            info.put("err_no", order == null ? 300008 : 0);
            info.put("err_msg", order == null ? "解密失败" : "");
            infos.add(info);
        }
        return Answers.json(answer.toString());
    }

    // ---- pushes

    /** The buyer orders and pays: tags 100 (created) and 101 (paid) in one push. */
    ShopOrder orderPaid(HubClient hub, String orderId, Person buyer, String receiverPhone, String product, long fen) {
        long now = System.currentTimeMillis() / 1000;
        ShopOrder order = new ShopOrder(orderId, buyer, receiverPhone, product, fen, now);
        orders.put(orderId, order);
        ArrayNode push = Recorded.JSON.createArrayNode();
        push.add(message("douyin/shop/msg-100-created.json", order, data -> data.put("create_time", now)));
        push.add(message("douyin/shop/msg-101-paid.json", order, data -> data.put("pay_amount", fen).put("pay_time", now)));
        send(hub, push);
        return order;
    }

    /** The shop ships the order: tag 102. */
    void shipped(HubClient hub, ShopOrder order) {
        ArrayNode push = Recorded.JSON.createArrayNode();
        push.add(message("douyin/shop/msg-102-shipped.json", order, data -> {
            data.put("update_time", System.currentTimeMillis() / 1000);
            ((ObjectNode) data.path("logistics_msg")).put("logistics_code", "ZT" + order.orderId());
        }));
        send(hub, push);
    }

    private ObjectNode message(String recorded, ShopOrder order, Consumer<ObjectNode> change) {
        ObjectNode message = Recorded.json(recorded);
        ObjectNode data = (ObjectNode) Recorded.parse(message.path("data").asText());
        data.put("p_id", Long.parseLong(order.orderId()));
        data.putArray("s_ids").add(Long.parseLong(order.subOrderId()));
        data.put("shop_id", Long.parseLong(BrandAccounts.DOUDIAN_SHOP_ID));
        change.accept(data);
        message.put("msg_id", Long.toString(msgIds.incrementAndGet()));
        message.put("data", data.toString());
        return message;
    }

    private void send(HubClient hub, ArrayNode push) {
        byte[] body = push.toString().getBytes(StandardCharsets.UTF_8);
        hub.push("douyin", "flagship-shop", "", Map.of("Content-Type", "application/json",
                "app-id", BrandAccounts.DOUDIAN_APP_KEY, "event-sign", eventSign(BrandAccounts.DOUDIAN_APP_KEY, accounts.doudianAppSecret, body)), body);
    }

    /** {@code md5_hex(app_key + body + app_secret)}. */
    static String eventSign(String appKey, String appSecret, byte[] body) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(appKey.getBytes(StandardCharsets.UTF_8));
            md5.update(body);
            md5.update(appSecret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
