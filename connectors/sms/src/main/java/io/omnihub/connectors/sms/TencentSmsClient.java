package io.omnihub.connectors.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tencent Cloud SMS (API 3.0, version 2021-01-11): a JSON {@code POST} to {@code /} with the action
 * in {@code X-TC-Action} and the {@link TencentSigner TC3-HMAC-SHA256} {@code Authorization}.
 */
final class TencentSmsClient implements SmsGateway {

    static final String VERSION = "2021-01-11";
    static final String SERVICE = "sms";

    private final ConnectorContext ctx;
    private final SmsConfig config;

    TencentSmsClient(ConnectorContext ctx, SmsConfig config) {
        this.ctx = ctx;
        this.config = config;
    }

    /**
     * {@code SendSms} to one number: {@code TemplateParamSet} in the parameters' order (Tencent's
     * templates are positional, {@code {1}}, {@code {2}}...), the message's reference as
     * {@code SessionContext}, which Tencent echoes in the answer. The number's own
     * {@code SendStatusSet[0].Code} decides, not only the request's.
     */
    @Override
    public String send(SmsMessage message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("PhoneNumberSet", List.of(message.phone()));
        body.put("SmsSdkAppId", config.sdkAppId().orElseThrow());
        body.put("SignName", message.signName());
        body.put("TemplateId", message.templateCode());
        body.put("TemplateParamSet", message.params().stream().map(SmsMessage.Param::value).toList());
        body.put("SessionContext", message.reference());
        JsonNode response = call("SendSms", body, false);
        JsonNode status = response.path("SendStatusSet").path(0);
        if (status.isMissingNode()) {
            throw new TransientException("Tencent Cloud SMS answered SendSms without a SendStatusSet");
        }
        String code = status.path("Code").asText("");
        if (!"Ok".equalsIgnoreCase(code)) {
            throw TencentErrors.of(200, code, status.path("Message").asText(""), ctx.clock());
        }
        return status.path("SerialNo").asText(null);
    }

    /** {@code DescribeSmsTemplateList}, one template: proves SecretId, SecretKey and the SMS permission. */
    @Override
    public void checkCredentials() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("International", 0);
        body.put("Limit", 1);
        body.put("Offset", 0);
        call("DescribeSmsTemplateList", body, true);
    }

    private JsonNode call(String action, Map<String, Object> body, boolean readOnly) {
        byte[] json = SmsJson.write(body).getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(config.apiBaseUrl() + "/");
        long timestamp = ctx.clock().instant().getEpochSecond();
        String authorization = TencentSigner.authorization(config.keyId(), config.keySecret(), SERVICE, host(uri),
                timestamp, json);
        HttpRequest request = new HttpRequest("POST", uri, Map.of(
                "Authorization", List.of(authorization),
                "Content-Type", List.of(TencentSigner.CONTENT_TYPE),
                "X-TC-Action", List.of(action),
                "X-TC-Timestamp", List.of(Long.toString(timestamp)),
                "X-TC-Version", List.of(VERSION),
                "X-TC-Region", List.of(config.region())), json, HttpRequest.DEFAULT_TIMEOUT);
        HttpResponse response = ctx.http().send(readOnly ? request.asReadOnly() : request);
        if (response.status() == 429) {
            throw new RateLimitedException("Tencent Cloud SMS answered HTTP 429", SmsJson.retryAfter(response, Duration.ofSeconds(1)));
        }
        JsonNode answer = SmsJson.read(response).orElseThrow(() -> SmsJson.unreadable("Tencent Cloud SMS", response));
        JsonNode error = answer.path("Response").path("Error");
        if (!error.isMissingNode()) {
            throw TencentErrors.of(response.status(), error.path("Code").asText("HTTP " + response.status()),
                    error.path("Message").asText(""), ctx.clock());
        }
        if (!response.isSuccess() || !answer.path("Response").isObject()) {
            throw response.status() >= 500 || !answer.path("Response").isObject()
                    ? new TransientException("Tencent Cloud SMS answered HTTP " + response.status())
                    : TencentErrors.of(response.status(), "HTTP " + response.status(), "", ctx.clock());
        }
        return answer.path("Response");
    }

    /** The {@code Host} the JDK's client sends for {@code uri}, which is the one signed. */
    static String host(URI uri) {
        return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}
