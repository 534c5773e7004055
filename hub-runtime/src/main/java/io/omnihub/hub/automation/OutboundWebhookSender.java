package io.omnihub.hub.automation;

import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code webhook} action, implemented by the hub itself: a JSON POST to a configured target,
 * signed so the receiver can check it came from this hub and was not replayed.
 *
 * <pre>
 * POST &lt;url&gt;
 * Content-Type: application/json
 * X-OmniHub-Action-Id: &lt;action id&gt;          (the idempotency key: the same action, the same id)
 * X-OmniHub-Timestamp: &lt;epoch seconds&gt;
 * X-OmniHub-Signature: sha256=&lt;hex HMAC-SHA256 of "&lt;timestamp&gt;.&lt;body&gt;" with the target's secret&gt;
 *
 * {"id": "&lt;action id&gt;", "customerId": "...", "origin": "journey:...", "data": { the action's body }}
 * </pre>
 * A 2xx answer is success; 429 and 5xx are retried (429 after its Retry-After); any other answer is
 * bad input. Calls go through the target's own Resilience4j protection ({@code webhook/<target>}).
 */
public final class OutboundWebhookSender implements ActionSender {

    /** The action kind. */
    public static final String KIND = "webhook";
    /** The connector id actions for webhook targets carry. */
    public static final String CONNECTOR = "webhook";

    private static final JsonMapper JSON = JsonMapper.builder().disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private final String target;
    private final URI url;
    private final byte[] secret;
    private final Duration timeout;
    private final ChannelHttpClient http;
    private final Clock clock;

    public OutboundWebhookSender(String target, AutomationProperties.Webhook settings, ChannelHttpClient http, Clock clock) {
        if (settings.getUrl() == null || settings.getUrl().isBlank()) {
            throw new IllegalStateException("hub.automation.webhooks." + target + ".url is not set");
        }
        if (settings.getSecret() == null || settings.getSecret().isBlank()) {
            throw new IllegalStateException("hub.automation.webhooks." + target + ".secret is not set: every webhook is signed");
        }
        this.target = target;
        this.url = URI.create(settings.getUrl());
        this.secret = settings.getSecret().getBytes(StandardCharsets.UTF_8);
        this.timeout = settings.getTimeout();
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(KIND);
    }

    @Override
    public ActionResult send(OutboundAction action) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", action.id());
        body.put("customerId", action.payload().get("customerId"));
        body.put("origin", action.payload().get("origin"));
        body.put("data", action.payload().getOrDefault("body", Map.of()));
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new BadInputException("webhook body cannot be written as JSON: " + e.getOriginalMessage());
        }
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpResponse response = http.send(new HttpRequest("POST", url, Map.of(
                "Content-Type", List.of("application/json;charset=UTF-8"),
                "X-OmniHub-Action-Id", List.of(action.id()),
                "X-OmniHub-Timestamp", List.of(timestamp),
                "X-OmniHub-Signature", List.of("sha256=" + sign(timestamp, json))), json, timeout));
        int status = response.status();
        if (status >= 200 && status < 300) {
            return new ActionResult(null, "webhook " + target + " answered " + status);
        }
        if (status == 429) {
            throw new RateLimitedException("webhook " + target + " answered 429", retryAfter(response));
        }
        if (status >= 500) {
            throw new TransientException("webhook " + target + " answered " + status);
        }
        throw new BadInputException("webhook " + target + " refused the action with " + status);
    }

    /** The signature of a body sent at {@code timestamp}: hex HMAC-SHA256 over {@code "<timestamp>.<body>"}. */
    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration retryAfter(HttpResponse response) {
        for (Map.Entry<String, List<String>> h : response.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase("Retry-After") && !h.getValue().isEmpty()) {
                try {
                    return Duration.ofSeconds(Long.parseLong(h.getValue().get(0).strip()));
                } catch (NumberFormatException e) {
                    return Duration.ofSeconds(60);
                }
            }
        }
        return Duration.ofSeconds(60);
    }
}
