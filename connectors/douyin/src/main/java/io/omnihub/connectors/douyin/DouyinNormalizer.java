package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Coupon;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns Douyin Open Platform pushes into canonical events. Reads the record only; never calls the API.
 *
 * <p>The person is {@code from_user_id}, an open_id, so every event carries a {@code douyin_openid}
 * namespaced by the client_key. Event ids come from the channel's own ids so redeliveries dedupe:
 * <ul>
 *   <li>{@code douyin:<client_key>:im:<server_message_id>} for private messages,</li>
 *   <li>{@code douyin:<client_key>:order:<order_id>:<action>} for life-service order notifications
 *       (Douyin's own rule: one Msg-Id per entity and action),</li>
 *   <li>{@code douyin:<client_key>:certificate:<certificate_id>:<action>} for voucher notifications,</li>
 *   <li>{@code douyin:<client_key>:<Msg-Id>} for everything else, or, without a Msg-Id,
 *       {@code douyin:<client_key>:<event>:<sha-256 of the body, 32 hex>}.</li>
 * </ul>
 * Events nobody mapped yet become {@code interaction.recorded} with the event name, never dropped;
 * pushes about no customer (no {@code from_user_id}) and the brand's own sent messages give none.
 */
public final class DouyinNormalizer implements Normalizer {

    static final String AUTHORIZE = "authorize";
    static final String UNAUTHORIZE = "unauthorize";
    static final String IM_RECEIVE_MSG = "im_receive_msg";
    static final String IM_SEND_MSG = "im_send_msg";
    static final String IM_ENTER_DIRECT_MSG = "im_enter_direct_msg";
    static final String LIFE_TRADE_ORDER_NOTIFY = "life_trade_order_notify";
    static final String LIFE_TRADE_CERTIFICATE_NOTIFY = "life_trade_certificate_notify";
    static final String CURRENCY = "CNY";
    /** The life-service order action of a refund; see {@link #lifeRefund}. */
    static final String REFUND_SUCCESS = "refund_success";
    /** The events whose content this normalizer reads. */
    private static final Set<String> MAPPED = Set.of(AUTHORIZE, UNAUTHORIZE, IM_RECEIVE_MSG, IM_ENTER_DIRECT_MSG,
            LIFE_TRADE_ORDER_NOTIFY, LIFE_TRADE_CERTIFICATE_NOTIFY);

    private final String connectorId;
    private final String instanceId;
    private final DouyinConfig config;

    public DouyinNormalizer(String connectorId, String instanceId, DouyinConfig config) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.config = config;
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode push;
        try {
            push = DouyinJson.read(record.payload());
        } catch (IOException e) {
            throw new BadInputException("Douyin record is not JSON: " + DouyinJson.problem(e));
        }
        if (!push.isObject()) {
            throw new BadInputException("Douyin record must be a JSON object, not " + push.getNodeType());
        }
        String event = DouyinJson.text(push, "event");
        if (event.isEmpty()) {
            throw new BadInputException("Douyin record has no 'event'");
        }
        // The record says which app it came from; the config is only the fallback for records
        // written without attributes.
        String clientKey = record.attributes().getOrDefault("clientKey", config.clientKey());
        String openId = DouyinJson.text(push, "from_user_id");
        Push p = new Push(record, event, clientKey, openId, content(push, event));

        return switch (event) {
            // The handshake, and the brand's own outgoing message: nothing a customer did.
            case DouyinWebhookHandler.VERIFY_WEBHOOK, IM_SEND_MSG -> List.of();
            case AUTHORIZE -> List.of(start(p, genericId(p), EventTypes.CUSTOMER_FOLLOWED, contentTime(p, "create_time"))
                    .extra("event", event)
                    .extra("scopes", scopes(p.content))
                    .build());
            case UNAUTHORIZE -> List.of(start(p, genericId(p), EventTypes.CUSTOMER_UNFOLLOWED, contentTime(p, "create_time"))
                    .extra("event", event)
                    .extra("scopes", scopes(p.content))
                    .build());
            case IM_RECEIVE_MSG -> List.of(privateMessage(p));
            case IM_ENTER_DIRECT_MSG -> List.of(conversationFields(p, start(p, genericId(p), EventTypes.INTERACTION,
                    contentTime(p, "create_time"))).extra("event", event).build());
            case LIFE_TRADE_ORDER_NOTIFY -> List.of(lifeOrder(p));
            case LIFE_TRADE_CERTIFICATE_NOTIFY -> List.of(certificate(p));
            // Product audits, partner and commission notices name no user: about no customer.
            default -> openId.isEmpty() ? List.of()
                    : List.of(start(p, genericId(p), EventTypes.INTERACTION, contentTime(p, "create_time"))
                            .extra("event", event)
                            .build());
        };
    }

    /**
     * The push's {@code content}, an object or a JSON string holding one. Unreadable content is bad
     * input for the events mapped here; for any other event it is ignored, since the event is kept
     * by name only.
     */
    private static JsonNode content(JsonNode push, String event) {
        try {
            return DouyinJson.objectOrJsonString(push, "content", "Douyin event " + event)
                    .orElse(DouyinJson.MAPPER.createObjectNode());
        } catch (BadInputException e) {
            if (MAPPED.contains(event)) {
                throw e;
            }
            return DouyinJson.MAPPER.createObjectNode();
        }
    }

    private CustomerEvent privateMessage(Push p) {
        JsonNode content = p.content;
        String serverMessageId = DouyinJson.text(content, "server_message_id");
        String id = serverMessageId.isEmpty() ? genericId(p) : prefix(p) + "im:" + serverMessageId;
        String kind = DouyinJson.text(content, "message_type");
        kind = kind.isEmpty() ? "other" : kind;
        String text = "text".equals(kind) ? messageText(content) : null;
        return conversationFields(p, start(p, id, EventTypes.MESSAGE_RECEIVED, contentTime(p, "create_time")))
                .message(new Message(kind, text))
                .attribute("nickname", nickname(content, p.openId))
                .extra("serverMessageId", serverMessageId.isEmpty() ? null : serverMessageId)
                .build();
    }

    private static CustomerEvent.Builder conversationFields(Push p, CustomerEvent.Builder event) {
        JsonNode content = p.content;
        return event
                .extra("conversationShortId", blankToNull(DouyinJson.id(content, "conversation_short_id")))
                .extra("conversationType", blankToNull(DouyinJson.text(content, "conversation_type")))
                .extra("source", blankToNull(DouyinJson.text(content, "source")));
    }

    /** Life-service (生活服务) order notification; {@code pay_success} is the one action Douyin documents. */
    private CustomerEvent lifeOrder(Push p) {
        String action = DouyinJson.text(p.content, "action");
        JsonNode order = p.content.path("order");
        String orderId = DouyinJson.id(order, "order_id");
        if (orderId.isEmpty()) {
            throw new BadInputException(LIFE_TRADE_ORDER_NOTIFY + " content has no order.order_id");
        }
        String what = LIFE_TRADE_ORDER_NOTIFY + " order";
        if (REFUND_SUCCESS.equals(action)) {
            return lifeRefund(p, order, orderId, what);
        }
        String type = "pay_success".equals(action) ? EventTypes.ORDER_PAID : EventTypes.INTERACTION;
        String id = prefix(p) + "order:" + orderId + ":" + (action.isEmpty() ? "unknown" : action);
        long time = DouyinJson.epochSeconds(order, "pay_time").filter(t -> "pay_success".equals(action))
                .orElse(contentTime(p, "msg_time"));
        CustomerEvent.Builder event = start(p, id, type, time)
                .extra("event", p.event)
                .extra("action", blankToNull(action))
                .extra("accountId", blankToNull(DouyinJson.id(order, "account_id")));
        if (EventTypes.INTERACTION.equals(type)) {
            return event.extra("orderId", orderId).build();
        }
        OptionalLong payAmount = DouyinJson.integer(order, "pay_amount", what);
        if (payAmount.isEmpty()) {
            throw new BadInputException(LIFE_TRADE_ORDER_NOTIFY + " order " + orderId + " has no pay_amount");
        }
        OptionalLong original = DouyinJson.integer(order, "original_amount", what);
        return event.order(new Order(orderId, action, CURRENCY, payAmount.getAsLong(), List.of()))
                .extra("originalAmountMinor", original.isPresent() ? original.getAsLong() : null)
                .build();
    }

    /**
     * A life-service order's {@code refund_success}: {@code order.refunded} (total = the order's
     * {@code pay_amount}) only when the refunded amount, {@code order.refund_amount} or a
     * {@code refund_amount} beside the order, covers the {@code pay_amount}. A smaller refund, or one
     * stating no amount, is an {@code interaction.recorded} with {@code extra.refundMinor} and
     * {@code extra.orderId}, so the order keeps counting at its price in the customer's spend. Its id
     * adds the refunded amount, so it never takes the id of a later whole-order refund.
     */
    private CustomerEvent lifeRefund(Push p, JsonNode order, String orderId, String what) {
        OptionalLong payAmount = DouyinJson.integer(order, "pay_amount", what);
        if (payAmount.isEmpty()) {
            throw new BadInputException(LIFE_TRADE_ORDER_NOTIFY + " order " + orderId + " has no pay_amount");
        }
        OptionalLong refunded = DouyinJson.integer(order, "refund_amount", what);
        if (refunded.isEmpty()) {
            refunded = DouyinJson.integer(p.content, "refund_amount", LIFE_TRADE_ORDER_NOTIFY + " content");
        }
        boolean whole = refunded.isPresent() && refunded.getAsLong() >= payAmount.getAsLong();
        String id = prefix(p) + "order:" + orderId + ":" + REFUND_SUCCESS
                + (whole ? "" : ":" + (refunded.isPresent() ? Long.toString(refunded.getAsLong()) : "unknown"));
        CustomerEvent.Builder event = start(p, id, whole ? EventTypes.ORDER_REFUNDED : EventTypes.INTERACTION,
                contentTime(p, "msg_time"))
                .extra("event", p.event)
                .extra("action", REFUND_SUCCESS)
                .extra("accountId", blankToNull(DouyinJson.id(order, "account_id")))
                .extra("orderId", orderId)
                .extra("refundMinor", refunded.isPresent() ? refunded.getAsLong() : null)
                .extra("orderTotalMinor", payAmount.getAsLong())
                .extra("partialRefund", !whole);
        if (!whole) {
            return event.build();
        }
        OptionalLong original = DouyinJson.integer(order, "original_amount", what);
        return event.order(new Order(orderId, REFUND_SUCCESS, CURRENCY, payAmount.getAsLong(), List.of()))
                .extra("originalAmountMinor", original.isPresent() ? original.getAsLong() : null)
                .build();
    }

    /**
     * Life-service voucher (券) notification. A redemption is a redeemed coupon; a reversed
     * redemption or one voucher's refund is recorded as an interaction, since one order may hold
     * several vouchers and one voucher's refund does not refund the order.
     */
    private CustomerEvent certificate(Push p) {
        String action = DouyinJson.text(p.content, "action");
        JsonNode certificate = p.content.path("certificate");
        String certificateId = DouyinJson.id(certificate, "certificate_id");
        if (certificateId.isEmpty()) {
            throw new BadInputException(LIFE_TRADE_CERTIFICATE_NOTIFY + " content has no certificate.certificate_id");
        }
        String type = "verify".equals(action) ? EventTypes.COUPON_REDEEMED : EventTypes.INTERACTION;
        String id = prefix(p) + "certificate:" + certificateId + ":" + (action.isEmpty() ? "unknown" : action);
        // The voucher as Douyin names it: its certificate id (the code itself is not in the push), the
        // order that bought it and, when the push says, the store (poi) that verified it.
        Coupon coupon = new Coupon(certificateId, null, null, null, null,
                blankToNull(DouyinJson.id(certificate, "poi_id")), blankToNull(DouyinJson.id(certificate, "order_id")));
        return start(p, id, type, contentTime(p, "msg_time"))
                .coupon(coupon)
                .extra("event", p.event)
                .extra("action", blankToNull(action))
                .extra("certificateId", certificateId)
                .extra("orderId", blankToNull(DouyinJson.id(certificate, "order_id")))
                .extra("accountId", blankToNull(DouyinJson.id(certificate, "account_id")))
                .build();
    }

    private CustomerEvent.Builder start(Push p, String id, String type, long epochSecondsOrZero) {
        if (p.openId.isEmpty()) {
            throw new BadInputException("Douyin event " + p.event + " has no from_user_id: no customer to attribute it to");
        }
        Instant time = epochSecondsOrZero > 0 ? Instant.ofEpochSecond(epochSecondsOrZero) : p.record.receivedAt();
        return CustomerEvent.builder(id, type)
                .source(connectorId, instanceId)
                .time(time)
                .receivedAt(p.record.receivedAt())
                .identity(Identity.of(IdentityTypes.DOUYIN_OPENID, p.openId, p.clientKey).withEvidence(Evidence.VERIFIED))
                .extra("msgId", p.record.attributes().get("msgId"));
    }

    /** Seconds since the epoch from a content field (seconds or ms); 0 when absent. */
    private static long contentTime(Push p, String field) {
        return DouyinJson.epochSeconds(p.content, field).orElse(0L);
    }

    private static String prefix(Push p) {
        return "douyin:" + p.clientKey + ":";
    }

    /** The Msg-Id, or a digest of the exact body, which a redelivery repeats byte for byte. */
    private static String genericId(Push p) {
        String msgId = p.record.attributes().getOrDefault("msgId", "");
        if (!msgId.isEmpty()) {
            return prefix(p) + msgId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(p.record.payload());
            return prefix(p) + p.event + ":" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** The text of a text message: {@code text}, else a {@code content} string (plain or {@code {"text":..}}). */
    private static String messageText(JsonNode content) {
        JsonNode text = content.path("text");
        if (text.isTextual()) {
            return text.asText();
        }
        JsonNode inner = content.path("content");
        if (!inner.isTextual()) {
            return "";
        }
        try {
            JsonNode parsed = DouyinJson.tree(inner.asText().getBytes(StandardCharsets.UTF_8));
            if (parsed != null && parsed.isObject() && parsed.path("text").isTextual()) {
                return parsed.path("text").asText();
            }
        } catch (IOException e) {
            // plain text, not JSON
        }
        return inner.asText();
    }

    private static String nickname(JsonNode content, String openId) {
        for (JsonNode user : content.path("user_infos")) {
            if (openId.equals(DouyinJson.text(user, "open_id"))) {
                return blankToNull(DouyinJson.text(user, "nick_name"));
            }
        }
        return null;
    }

    private static Object scopes(JsonNode content) {
        JsonNode scopes = content.path("scopes");
        if (scopes.isArray()) {
            List<String> list = new ArrayList<>();
            scopes.forEach(scope -> list.add(scope.asText()));
            return list.isEmpty() ? null : list;
        }
        return blankToNull(DouyinJson.text(content, "scopes"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** One parsed push and where it came from. */
    private record Push(RawRecord record, String event, String clientKey, String openId, JsonNode content) {
    }
}
