package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies and records what 抖店's message push sends to {@code /hooks/douyin/<instance>}.
 *
 * <p>Headers {@code app-id} (the app_key) and {@code event-sign} (see {@link DoudianSigner}) are
 * checked over the raw body; the body is a JSON array of {@code {tag, msg_id, data}} messages, each
 * kept as one record keyed by its {@code msg_id}, with its position in the push as attribute
 * {@value #POSITION}. Tag {@code 0} is 抖店's test message: answered, not kept. An element that is
 * not an object or has no {@code tag} is kept too, as its own record that the
 * {@link DoudianNormalizer} refuses as bad input, so one bad message never holds back the others.
 * The reply is {@code {"code":0,"msg":"success"}}, which stops 抖店's retries.
 *
 * <p>Nothing here calls the API: the buyer behind an order is looked up later, by the normalizer.
 * Errors: a missing or wrong signature, another app's {@code app-id}, or an unknown
 * {@code sign-method} is a {@link BadSignatureException}; a signed body that is not a JSON array
 * at all is a {@link BadInputException}. The signature covers no timestamp; deterministic event
 * ids make a replayed push have no effect.
 */
public final class DoudianWebhookHandler implements WebhookHandler {

    static final String CONTENT_TYPE = "application/json";
    static final String TEST_TAG = "0";
    /** Record attribute: the message's 1-based position in its push, named by normalization errors. */
    static final String POSITION = "position";
    private static final WebhookReply SUCCESS = WebhookReply.json("{\"code\":0,\"msg\":\"success\"}");

    private final DouyinConfig config;

    public DoudianWebhookHandler(DouyinConfig config) {
        this.config = config;
    }

    @Override
    public WebhookResult handle(WebhookRequest request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            throw new BadSignatureException("抖店 pushes are signed POSTs; an unsigned " + request.method() + " is refused");
        }
        verify(request);

        JsonNode messages;
        try {
            messages = DouyinJson.read(request.body());
        } catch (IOException e) {
            throw new BadInputException("抖店 push is not JSON: " + DouyinJson.problem(e));
        }
        if (!messages.isArray()) {
            throw new BadInputException("抖店 push must be a JSON array of messages, not " + messages.getNodeType());
        }
        List<RawRecord> records = new ArrayList<>();
        int position = 0;
        for (JsonNode message : messages) {
            position++;
            // A malformed element is kept as it is, to fail on its own in the normalizer: refusing
            // the push would make 抖店 resend the same array and hold its good messages back forever.
            String tag = message.isObject() ? DouyinJson.text(message, "tag") : "";
            if (TEST_TAG.equals(tag)) {
                continue;
            }
            String msgId = message.isObject() ? DouyinJson.id(message, "msg_id") : "";
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("kind", DouyinConfig.Kind.SHOP.id());
            attributes.put("appKey", config.appKey());
            attributes.put("shopId", config.shopId());
            attributes.put(POSITION, Integer.toString(position));
            if (!tag.isEmpty()) {
                attributes.put("tag", tag);
            }
            records.add(new RawRecord(msgId, CONTENT_TYPE, bytes(message), attributes, request.receivedAt()));
        }
        return WebhookResult.accept(SUCCESS, records);
    }

    private void verify(WebhookRequest request) {
        String appId = request.header("app-id").map(String::strip).orElse("");
        if (!appId.isEmpty() && !appId.equals(config.appKey())) {
            // Signed with another app's secret, which this instance cannot check.
            throw new BadSignatureException("push is for app-id '" + appId + "', this instance's app-key is '"
                    + config.appKey() + "'");
        }
        String eventSign = request.header("event-sign").filter(value -> !value.isBlank())
                .orElseThrow(() -> new BadSignatureException("missing header event-sign"));
        String methodName = request.header("sign-method").map(String::strip).filter(value -> !value.isEmpty())
                .orElse(DoudianSigner.SignMethod.MD5.id());
        DoudianSigner.SignMethod method = DoudianSigner.SignMethod.of(methodName)
                .orElseThrow(() -> new BadSignatureException("unknown sign-method '" + methodName + "'"));
        String expected = DoudianSigner.signPush(method, config.appKey(), config.appSecret(), request.body());
        if (!DoudianSigner.matches(eventSign, expected)) {
            throw new BadSignatureException("event-sign does not match the configured app-key, app-secret and the body");
        }
    }

    /**
     * One message as the record's payload: compact JSON of what 抖店 sent. {@code data} stays the
     * JSON string it was, so its int64 ids keep every digit.
     */
    private static byte[] bytes(JsonNode message) {
        try {
            return DouyinJson.MAPPER.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed message always serialises", e);
        }
    }
}
