package io.omnihub.connectors.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Aliyun SMS (Dysmsapi 2017-05-25) over its RPC protocol: a form-encoded {@code POST} to the
 * endpoint's {@code /} carrying the common parameters, the action's parameters and the
 * {@link AliyunSigner signature}, answered with JSON ({@code Format=JSON}).
 */
final class AliyunSmsClient implements SmsGateway {

    static final String VERSION = "2017-05-25";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final ConnectorContext ctx;
    private final SmsConfig config;

    AliyunSmsClient(ConnectorContext ctx, SmsConfig config) {
        this.ctx = ctx;
        this.config = config;
    }

    /**
     * {@code SendSms}: {@code PhoneNumbers} without {@code +} (mainland numbers without {@code 86}),
     * {@code TemplateParam} as a JSON object of strings, the message's reference as {@code OutId},
     * which Aliyun returns in every delivery receipt ({@code out_id}). Aliyun does not de-duplicate
     * on it.
     */
    @Override
    public String send(SmsMessage message) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", "SendSms");
        params.put("PhoneNumbers", phoneNumber(message.phone()));
        params.put("SignName", message.signName());
        params.put("TemplateCode", message.templateCode());
        if (!message.params().isEmpty()) {
            Map<String, String> template = new LinkedHashMap<>();
            message.params().forEach(p -> template.put(p.name(), p.value()));
            params.put("TemplateParam", SmsJson.write(template));
        }
        params.put("OutId", message.reference());
        JsonNode answer = call(params, false);
        return answer.path("BizId").asText(null);
    }

    /** {@code QuerySmsSignList}, one sign name: proves key, secret and the {@code dysms} permission. */
    @Override
    public void checkCredentials() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", "QuerySmsSignList");
        params.put("PageIndex", "1");
        params.put("PageSize", "1");
        call(params, true);
    }

    private JsonNode call(Map<String, String> actionParams, boolean readOnly) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccessKeyId", config.keyId());
        params.put("Format", "JSON");
        params.put("RegionId", config.region());
        params.put("SignatureMethod", "HMAC-SHA1");
        // A fresh nonce per request, retries included: Aliyun refuses a nonce it saw within 15 minutes.
        params.put("SignatureNonce", UUID.randomUUID().toString());
        params.put("SignatureVersion", "1.0");
        params.put("Timestamp", TIMESTAMP.format(ctx.clock().instant()));
        params.put("Version", VERSION);
        params.putAll(actionParams);
        String signature = AliyunSigner.sign("POST", params, config.keySecret());
        // The body carries the canonical encoding, except that ':' stays as it is (legal in a form
        // value): the server decodes before it verifies, and ids such as OutId stay readable.
        String form = ("Signature=" + AliyunSigner.percent(signature) + "&" + AliyunSigner.canonicalizedQuery(params))
                .replace("%3A", ":");
        HttpRequest request = new HttpRequest("POST", URI.create(config.apiBaseUrl() + "/"),
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded;charset=UTF-8"),
                        "Accept", List.of("application/json")),
                form.getBytes(StandardCharsets.UTF_8), HttpRequest.DEFAULT_TIMEOUT);
        HttpResponse response = ctx.http().send(readOnly ? request.asReadOnly() : request);
        if (response.status() == 429) {
            throw new RateLimitedException("Aliyun SMS answered HTTP 429", SmsJson.retryAfter(response, Duration.ofSeconds(60)));
        }
        JsonNode answer = SmsJson.read(response).orElseThrow(() -> SmsJson.unreadable("Aliyun SMS", response));
        String code = answer.path("Code").asText("");
        if (!"OK".equals(code)) {
            throw AliyunErrors.of(response.status(), code.isEmpty() ? "HTTP " + response.status() : code,
                    answer.path("Message").asText(""), ctx.clock());
        }
        return answer;
    }

    /** E.164 to Aliyun's form: mainland numbers as the 11 digits, others as country code and number. */
    static String phoneNumber(String e164) {
        String digits = e164.startsWith("+") ? e164.substring(1) : e164;
        return digits.startsWith("86") && digits.length() == 13 ? digits.substring(2) : digits;
    }
}
