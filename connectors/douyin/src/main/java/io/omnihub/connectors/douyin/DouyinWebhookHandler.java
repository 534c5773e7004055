package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies and records what the Douyin Open Platform pushes to {@code /hooks/douyin/<instance>}.
 *
 * <p>Every push is a POST whose {@code X-Douyin-Signature} is checked over the raw body first, the
 * {@code verify_webhook} handshake included. The handshake is answered at once with
 * {@code {"challenge":<the same value>}} and keeps nothing; every other push becomes one record
 * keyed by its {@code Msg-Id} header, Douyin's dedupe key.
 *
 * <p>Error choice: a request without a valid signature is unauthenticated, so it is a
 * {@link BadSignatureException} (401, nothing kept). A signed request whose body cannot be
 * understood, or that names another client_key, is a {@link BadInputException} (400, parked).
 * Douyin's signature covers no timestamp, so a captured push can be replayed; its deterministic
 * event ids make a replay have no effect.
 */
public final class DouyinWebhookHandler implements WebhookHandler {

    static final String CONTENT_TYPE = "application/json";
    static final String VERIFY_WEBHOOK = "verify_webhook";
    /** Douyin needs only HTTP 200; an empty JSON object is a valid body for every client. */
    private static final WebhookReply ACK = WebhookReply.json("{}");

    private final DouyinConfig config;

    public DouyinWebhookHandler(DouyinConfig config) {
        this.config = config;
    }

    @Override
    public WebhookResult handle(WebhookRequest request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            // Douyin signs POSTs only (even its handshake); anything else cannot be authenticated.
            throw new BadSignatureException("Douyin pushes are signed POSTs; an unsigned " + request.method() + " is refused");
        }
        String signature = request.header(DouyinSignature.HEADER)
                .filter(value -> !value.isBlank())
                .orElseThrow(() -> new BadSignatureException("missing header " + DouyinSignature.HEADER));
        if (!DouyinSignature.matches(signature, config.clientSecret(), request.body())) {
            throw new BadSignatureException(DouyinSignature.HEADER + " does not match the configured client-secret and the body");
        }

        JsonNode push;
        try {
            push = DouyinJson.read(request.body());
        } catch (IOException e) {
            throw new BadInputException("Douyin push is not JSON: " + DouyinJson.problem(e));
        }
        if (!push.isObject()) {
            throw new BadInputException("Douyin push must be a JSON object, not " + push.getNodeType());
        }
        String clientKey = DouyinJson.text(push, "client_key");
        if (!clientKey.isEmpty() && !clientKey.equals(config.clientKey())) {
            throw new BadInputException("push is addressed to client_key '" + DouyinJson.quote(clientKey)
                    + "' but this instance is '" + config.clientKey() + "'");
        }
        String event = DouyinJson.text(push, "event");
        if (event.isEmpty()) {
            throw new BadInputException("Douyin push has no 'event'");
        }
        if (VERIFY_WEBHOOK.equals(event)) {
            return WebhookResult.replyOnly(challengeAnswer(push));
        }

        String msgId = request.header("Msg-Id").map(String::strip).filter(value -> !value.isEmpty()).orElse("");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("kind", DouyinConfig.Kind.OPEN.id());
        attributes.put("clientKey", config.clientKey());
        if (!msgId.isEmpty()) {
            attributes.put("msgId", msgId);
        }
        String key = !msgId.isEmpty() ? msgId
                : !DouyinJson.text(push, "msg_id").isEmpty() ? DouyinJson.text(push, "msg_id")
                : DouyinJson.text(push, "log_id");
        RawRecord record = new RawRecord(key, CONTENT_TYPE, request.body(), attributes, request.receivedAt());
        return WebhookResult.accept(ACK, List.of(record));
    }

    /** {@code {"challenge":<value>}}, the value written exactly as Douyin sent it (number or string). */
    private static WebhookReply challengeAnswer(JsonNode push) {
        JsonNode content = DouyinJson.objectOrJsonString(push, "content", "verify_webhook")
                .orElseThrow(() -> new BadInputException("verify_webhook has no 'content'"));
        JsonNode challenge = content.path("challenge");
        if (!(challenge.isNumber() || challenge.isTextual())) {
            throw new BadInputException("verify_webhook content has no 'challenge' number or string");
        }
        return WebhookReply.json("{\"challenge\":" + challenge + "}");
    }
}
