package io.omnihub.connectors.wechat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sends Official Account notifications to a follower's openid.
 *
 * <ul>
 *   <li>{@value #TEMPLATE}: a template message ({@code /cgi-bin/message/template/send}); payload
 *       {@code template_id} (required), {@code url}, {@code miniprogram} ({@code appid},
 *       {@code pagepath}), {@code data}. The action id goes along as {@code client_msg_id}, WeChat's
 *       de-duplication key, so a repeated send after a crash reaches the user once. An id longer than
 *       {@value #CLIENT_MSG_ID_MAX} characters (rule and journey ids have no bound) goes as
 *       {@link #clientMsgId the first 32 hex digits of its SHA-256}, the same for every send of it.</li>
 *   <li>{@value #SUBSCRIBE}: a subscribe notification ({@code /cgi-bin/message/subscribe/bizsend});
 *       payload {@code template_id} (required), {@code page}, {@code miniprogram}, {@code data}.
 *       WeChat offers no de-duplication key for it.</li>
 * </ul>
 * In {@code data}, a plain value {@code "keyword1": "text"} is shorthand for WeChat's
 * {@code "keyword1": {"value": "text"}}.
 */
public final class WeChatActionSender implements ActionSender {

    public static final String TEMPLATE = "wechat.template";
    public static final String SUBSCRIBE = "wechat.subscribe";
    /**
     * The longest {@code client_msg_id} sent as it is. WeChat bounds the field; its documented bound
     * is not confirmed here, so ids are kept to 64 characters (WeChat's usual length for such ids).
     */
    static final int CLIENT_MSG_ID_MAX = 64;

    private final WeChatConfig config;
    private final WeChatApiClient api;

    public WeChatActionSender(WeChatConfig config, WeChatApiClient api) {
        this.config = config;
        this.api = api;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(TEMPLATE, SUBSCRIBE);
    }

    @Override
    public ActionResult send(OutboundAction action) {
        if (!kinds().contains(action.kind())) {
            throw new BadInputException("the WeChat connector cannot send actions of kind '" + action.kind() + "'");
        }
        String openid = recipient(action);
        Map<String, Object> payload = action.payload();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("touser", openid);
        body.put("template_id", requireText(payload, "template_id"));
        switch (action.kind()) {
            case TEMPLATE -> {
                copy(payload, "url", body);
                copy(payload, "miniprogram", body);
                body.put("client_msg_id", clientMsgId(action.id()));
                body.put("data", data(payload));
                JsonNode answer = api.postJson("/cgi-bin/message/template/send", body);
                String msgid = answer.path("msgid").isMissingNode() ? null : answer.path("msgid").asText();
                return new ActionResult(msgid, "template message sent");
            }
            case SUBSCRIBE -> {
                copy(payload, "page", body);
                copy(payload, "miniprogram", body);
                body.put("data", data(payload));
                api.postJson("/cgi-bin/message/subscribe/bizsend", body);
                return new ActionResult(null, "subscribe notification sent");
            }
            default -> throw new IllegalStateException("unreachable: kinds() was checked");
        }
    }

    /**
     * The {@code client_msg_id} for an action id: the id itself when it has at most
     * {@value #CLIENT_MSG_ID_MAX} characters, else the first 32 hex digits (128 bits) of the SHA-256
     * of its UTF-8 bytes: fixed length, and the same on every node and every send of the action.
     */
    static String clientMsgId(String actionId) {
        if (actionId.length() <= CLIENT_MSG_ID_MAX) {
            return actionId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(actionId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private String recipient(OutboundAction action) {
        Identity recipient = action.recipient();
        if (recipient == null || !IdentityTypes.WECHAT_OPENID.equals(recipient.type())) {
            throw new BadInputException(action.kind() + " needs a wechat_openid recipient");
        }
        if (recipient.namespace() != null && !recipient.namespace().equals(config.appId())) {
            // An openid is only valid for the app that issued it; another app's would fail with 40003.
            throw new BadInputException(action.kind() + " recipient is an openid of app " + recipient.namespace()
                    + ", not of this instance's app " + config.appId());
        }
        return recipient.value();
    }

    private static String requireText(Map<String, Object> payload, String key) {
        Object value = payload.get(key);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new BadInputException("action payload needs '" + key + "'");
        }
        return text;
    }

    private static void copy(Map<String, Object> payload, String key, Map<String, Object> body) {
        Object value = payload.get(key);
        if (value != null) {
            body.put(key, value);
        }
    }

    private static Map<String, Object> data(Map<String, Object> payload) {
        Object raw = payload.getOrDefault("data", Map.of());
        if (!(raw instanceof Map<?, ?> fields)) {
            throw new BadInputException("action payload 'data' must be an object of fields");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        fields.forEach((name, value) -> data.put(String.valueOf(name),
                value instanceof Map<?, ?> ? value : Map.of("value", String.valueOf(value))));
        return data;
    }
}
