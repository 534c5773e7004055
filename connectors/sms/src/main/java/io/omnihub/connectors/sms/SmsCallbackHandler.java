package io.omnihub.connectors.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The vendors' callbacks to {@code /hooks/sms/<instance>?key=<callback-key>}: delivery receipts
 * and replies from phones. The key is checked before anything is read ({@link CallbackKey}).
 *
 * <ul>
 *   <li>Aliyun pushes JSON arrays, SmsReport (receipts: {@code report_time}, {@code success},
 *       {@code biz_id}, {@code out_id}, ...) and SmsUp (replies: {@code content},
 *       {@code sequence_id}, ...), and expects {@code {"code":0,"msg":"接收成功"}};</li>
 *   <li>Tencent pushes receipts as a JSON array ({@code report_status}, {@code sid}, ...) and a
 *       reply as one JSON object ({@code text}, {@code mobile}, {@code nationcode}, {@code time}), and
 *       expects {@code {"result":0,"errmsg":"OK"}}.</li>
 * </ul>
 * Each receipt or reply becomes one record, with attribute {@code callback} = {@value #REPORT} or
 * {@value #REPLY}; one URL may take both kinds (each vendor's console asks for a URL per kind).
 * {@code GET} with the right key answers {@code ok}: a way to test the URL.
 */
final class SmsCallbackHandler implements WebhookHandler {

    static final String REPORT = "report";
    static final String REPLY = "reply";

    private final SmsConfig config;
    private final CallbackKey key;

    SmsCallbackHandler(SmsConfig config) {
        this.config = config;
        this.key = new CallbackKey(config.callbackKey());
    }

    @Override
    public WebhookResult handle(WebhookRequest request) {
        key.verify(request);
        if (request.isGet()) {
            return WebhookResult.replyOnly(WebhookReply.text("ok"));
        }
        JsonNode body;
        try {
            body = SmsJson.MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw new BadInputException("callback body is not JSON");
        }
        if (body == null || !(body.isArray() || body.isObject())) {
            throw new BadInputException("callback body is neither a JSON array nor an object");
        }
        List<RawRecord> records = new ArrayList<>();
        for (JsonNode item : body.isArray() ? body : List.of(body)) {
            records.add(record(item, request));
        }
        return WebhookResult.accept(ack(), records);
    }

    private RawRecord record(JsonNode item, WebhookRequest request) {
        if (!item.isObject()) {
            throw new BadInputException("callback holds an entry that is not a JSON object");
        }
        String callback = kindOf(item);
        String key = switch (config.kind()) {
            case ALIYUN -> REPORT.equals(callback) ? item.path("biz_id").asText("") : item.path("sequence_id").asText("");
            case TENCENT -> REPORT.equals(callback) ? item.path("sid").asText("") : item.path("time").asText("");
        };
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        attributes.put("vendor", config.kind().id());
        attributes.put("callback", callback);
        config.sdkAppId().ifPresent(id -> attributes.put("sdkAppId", id));
        return new RawRecord(key, "application/json", SmsJson.write(item).getBytes(StandardCharsets.UTF_8),
                attributes, request.receivedAt());
    }

    /** A receipt or a reply, told by the fields each vendor documents for it. */
    private String kindOf(JsonNode item) {
        boolean report = switch (config.kind()) {
            case ALIYUN -> item.has("report_time") || item.has("success");
            case TENCENT -> item.has("report_status");
        };
        boolean reply = switch (config.kind()) {
            case ALIYUN -> item.has("content");
            case TENCENT -> item.has("text");
        };
        if (report == reply) {
            throw new BadInputException("callback entry is neither a " + config.kind().id() + " delivery receipt nor a reply");
        }
        return report ? REPORT : REPLY;
    }

    private WebhookReply ack() {
        return config.kind() == SmsConfig.Kind.ALIYUN
                ? WebhookReply.json("{\"code\":0,\"msg\":\"接收成功\"}")
                : WebhookReply.json("{\"result\":0,\"errmsg\":\"OK\"}");
    }
}
