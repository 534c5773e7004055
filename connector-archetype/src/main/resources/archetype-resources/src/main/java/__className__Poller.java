package ${package};

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls ${channelName}'s change feed. The checkpoint is the feed's cursor, a sequence number that
 * only grows: the hub commits it once the batch is durable and hands it back after a crash, so a
 * batch read twice yields the same records, whose event ids make the repeat harmless.
 */
final class ${className}Poller implements Poller {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ${className}ApiClient api;
    private final Clock clock;
    private final Duration interval;

    ${className}Poller(${className}ApiClient api, Clock clock, Duration interval) {
        this.api = api;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public PollResult poll(Optional<String> checkpoint) {
        JsonNode page = api.changes(checkpoint);
        List<RawRecord> records = new ArrayList<>();
        for (JsonNode change : page.path("changes")) {
            String eventId = change.path("event_id").asText("");
            if (eventId.isBlank()) {
                throw new BadInputException("${channelName} change without event_id after " + checkpoint.orElse("the start"));
            }
            try {
                records.add(new RawRecord(eventId, "application/json", JSON.writeValueAsBytes(change), Map.of(),
                        clock.instant()));
            } catch (IOException e) {
                throw new BadInputException("cannot copy ${channelName} change " + eventId + ": " + e.getMessage());
            }
        }
        // An empty page may omit the cursor: stay where we are.
        String next = page.path("next_cursor").asText("");
        if (next.isBlank()) {
            next = checkpoint.orElse("0");
        }
        return new PollResult(records, next, page.path("has_more").asBoolean(false));
    }

    @Override
    public Duration interval() {
        return interval;
    }
}
