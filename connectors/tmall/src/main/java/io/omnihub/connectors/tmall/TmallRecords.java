package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.source.RawRecord;
import java.time.Instant;
import java.util.Map;

/**
 * The raw records the poller emits, one per TMC message or synced trade, each carrying the JSON
 * object exactly as TOP answered it (re-serialised, since TOP answers many in one body).
 *
 * <p>Attribute {@value #KIND} tells the normalizer which one it holds: {@value #KIND_TMC} (a
 * {@code tmc_message} with {@code id, topic, content, user_id, user_nick, pub_time, pub_app_key};
 * {@code content} is a JSON string) or {@value #KIND_TRADE} (a {@code trade} of
 * {@code taobao.trades.sold.increment.get}).
 */
public final class TmallRecords {

    public static final String KIND = "kind";
    public static final String KIND_TMC = "tmc";
    public static final String KIND_TRADE = "trade";
    public static final String TOPIC = "topic";
    static final String CONTENT_TYPE = "application/json";

    private TmallRecords() {
    }

    /** A TMC message; its key is the message id, TMC's own. */
    public static RawRecord tmcMessage(JsonNode message, Instant receivedAt) {
        return new RawRecord(message.path("id").asText(""), CONTENT_TYPE, bytes(message),
                Map.of(KIND, KIND_TMC, TOPIC, message.path("topic").asText("")), receivedAt);
    }

    /** A trade of the incremental sync; its key is the trade id ({@code tid}). */
    public static RawRecord trade(JsonNode trade, Instant receivedAt) {
        return new RawRecord(trade.path("tid").asText(""), CONTENT_TYPE, bytes(trade), Map.of(KIND, KIND_TRADE),
                receivedAt);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return TopApiClient.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed TOP answer cannot be written back as JSON", e);
        }
    }
}
