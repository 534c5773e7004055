package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import java.time.Instant;
import java.util.Optional;

/**
 * When an event happened: by TOP's own time fields, else when TMC published the message. An event
 * with no time at all is bad input, never stamped with the hub's clock.
 */
final class EventTime {

    private EventTime() {
    }

    /**
     * When the trade reached {@code stage} (null: a status no stage maps), by TOP's own time fields,
     * else when TMC published it.
     */
    static Instant ofTrade(JsonNode trade, TradeStage stage, Instant published, String what) {
        String field = stage == null ? "modified" : stage.timeField();
        return TopTime.parse(TopJson.text(trade, field))
                .or(() -> TopTime.parse(TopJson.text(trade, "modified")))
                .or(() -> Optional.ofNullable(published))
                .or(() -> TopTime.parse(TopJson.text(trade, "created")))
                .orElseThrow(() -> new BadInputException(what + " states no time (" + field + ", modified, created)"));
    }

    /** The time in {@code field} of {@code node}, else when TMC published it. */
    static Instant of(JsonNode node, String field, Instant published, String what) {
        return TopTime.parse(TopJson.text(node, field))
                .or(() -> Optional.ofNullable(published))
                .orElseThrow(() -> new BadInputException(what + " states no time (" + field + ", pub_time)"));
    }
}
