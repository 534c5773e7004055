package io.omnihub.connector.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The HTTP answer the channel expects.
 *
 * @param status      HTTP status
 * @param contentType content type of {@code body}
 * @param body        body bytes, possibly empty
 */
public record WebhookReply(int status, String contentType, byte[] body) {

    public WebhookReply {
        Objects.requireNonNull(contentType, "contentType");
        body = body == null ? new byte[0] : body;
    }

    /** 200 with a UTF-8 plain-text body, e.g. WeChat's {@code success} or an echostr. */
    public static WebhookReply text(String text) {
        return new WebhookReply(200, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with a JSON body, e.g. Douyin's challenge answer. */
    public static WebhookReply json(String json) {
        return new WebhookReply(200, "application/json;charset=UTF-8", json.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with an XML body, e.g. an encrypted WeChat reply. */
    public static WebhookReply xml(String xml) {
        return new WebhookReply(200, "application/xml;charset=UTF-8", xml.getBytes(StandardCharsets.UTF_8));
    }

    public String bodyAsUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
