package ${package};

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Verifies and unpacks ${channelName}'s pushes: one event per {@code POST}, signed in
 * {@code X-Signature} over {@code X-Timestamp} and the raw body. The raw body becomes the record
 * as it is, so the normalizer later reads exactly what was signed.
 */
final class ${className}WebhookHandler implements WebhookHandler {

    /** How far a signed timestamp may be from the hub's clock before the push counts as a replay. */
    static final Duration REPLAY_TOLERANCE = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ${className}Signer signer;
    private final Clock clock;

    ${className}WebhookHandler(${className}Signer signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public WebhookResult handle(WebhookRequest request) {
        String timestamp = request.header("X-Timestamp")
                .orElseThrow(() -> new BadSignatureException("${channelName} push without X-Timestamp"));
        String signature = request.header("X-Signature")
                .orElseThrow(() -> new BadSignatureException("${channelName} push without X-Signature"))
                .replaceFirst("^sha256=", "");
        Instant signedAt;
        try {
            signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        } catch (NumberFormatException e) {
            throw new BadSignatureException("${channelName} X-Timestamp is not epoch seconds");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(REPLAY_TOLERANCE) > 0) {
            throw new BadSignatureException("${channelName} push signed at " + signedAt + ", too far from now");
        }
        if (!signer.verify(timestamp, request.body(), signature)) {
            throw new BadSignatureException("${channelName} signature does not match");
        }
        JsonNode event;
        try {
            event = JSON.readTree(request.body());
        } catch (IOException e) {
            throw new BadInputException("${channelName} push is not JSON");
        }
        String eventId = event.path("event_id").asText("");
        if (eventId.isBlank()) {
            throw new BadInputException("${channelName} push has no event_id");
        }
        RawRecord record = new RawRecord(eventId, "application/json", request.body(), Map.of(), request.receivedAt());
        return WebhookResult.accept(WebhookReply.json("{\"received\":true}"), List.of(record));
    }
}
