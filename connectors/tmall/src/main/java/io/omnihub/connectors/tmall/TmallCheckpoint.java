package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.errors.ConfigException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The poller's checkpoint, one small JSON object with a part per source:
 *
 * <pre>{@code
 * {"v":1,
 *  "sync":{"from":"2025-05-19T02:00:00Z","to":"2025-05-20T02:00:00Z","page":3},
 *  "tmc":{"confirm":["7001","7002"]}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code sync.from}: every trade modified before it has been read; it moves to the window's
 *       end only once the window's last page was returned. {@code sync.to} and {@code sync.page}
 *       are present while a window is being paged: the next poll reads that page of that window.</li>
 *   <li>{@code tmc.confirm}: the ids of the TMC messages of the batch this checkpoint commits. Once
 *       the hub committed it they are durable, so they may be confirmed; a crash before the
 *       confirm leaves them here and the next poll confirms them first.</li>
 * </ul>
 *
 * @param sync         where the sync stands; empty before its first poll
 * @param tmcToConfirm TMC message ids that become safe to confirm when this checkpoint is committed
 */
public record TmallCheckpoint(Optional<SyncPosition> sync, List<String> tmcToConfirm) {

    static final int VERSION = 1;

    public TmallCheckpoint {
        tmcToConfirm = List.copyOf(tmcToConfirm);
    }

    /** The checkpoint before the very first poll. */
    public static TmallCheckpoint initial() {
        return new TmallCheckpoint(Optional.empty(), List.of());
    }

    /**
     * Where the incremental sync stands.
     *
     * @param from      trades modified before it are read
     * @param windowEnd the end of the window being paged, or {@code null} between windows
     * @param page      the page of that window the next poll reads (from 1)
     */
    public record SyncPosition(Instant from, Instant windowEnd, int page) {

        /** Between windows: the next window starts at {@code from}. */
        public static SyncPosition at(Instant from) {
            return new SyncPosition(from, null, 1);
        }

        public boolean inWindow() {
            return windowEnd != null;
        }
    }

    /**
     * Reads a committed checkpoint.
     *
     * @throws ConfigException when it is not one this connector wrote: the poller cannot know where
     *     it stands, and guessing could skip trades
     */
    public static TmallCheckpoint parse(Optional<String> committed) {
        if (committed.isEmpty() || committed.get().isBlank()) {
            return initial();
        }
        try {
            JsonNode root = TopApiClient.JSON.readTree(committed.get());
            if (root == null || !root.isObject() || root.path("v").asInt() != VERSION) {
                throw unreadable("not a version " + VERSION + " Tmall checkpoint");
            }
            Optional<SyncPosition> sync = Optional.empty();
            JsonNode s = root.path("sync");
            if (s.isObject()) {
                Instant from = Instant.parse(s.path("from").asText());
                Instant to = s.hasNonNull("to") ? Instant.parse(s.path("to").asText()) : null;
                int page = s.path("page").asInt(1);
                if (page < 1 || (to != null && to.isBefore(from))) {
                    throw unreadable("the sync window is inconsistent");
                }
                sync = Optional.of(new SyncPosition(from, to, to == null ? 1 : page));
            }
            List<String> confirm = new ArrayList<>();
            root.path("tmc").path("confirm").forEach(id -> confirm.add(id.asText()));
            return new TmallCheckpoint(sync, confirm);
        } catch (IOException | DateTimeParseException e) {
            throw unreadable(e.getClass().getSimpleName());
        }
    }

    /** The JSON the hub stores; the same checkpoint always gives the same text. */
    public String toJson() {
        ObjectNode root = TopApiClient.JSON.createObjectNode();
        root.put("v", VERSION);
        sync.ifPresent(position -> {
            ObjectNode s = root.putObject("sync");
            s.put("from", position.from().toString());
            if (position.inWindow()) {
                s.put("to", position.windowEnd().toString());
                s.put("page", position.page());
            }
        });
        if (!tmcToConfirm.isEmpty()) {
            ArrayNode ids = root.putObject("tmc").putArray("confirm");
            tmcToConfirm.forEach(ids::add);
        }
        try {
            return TopApiClient.JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checkpoint cannot be written as JSON", e);
        }
    }

    private static ConfigException unreadable(String why) {
        return new ConfigException("the committed checkpoint of this Tmall instance cannot be read (" + why
                + "); reset the instance's checkpoint to start over from 'sync-start'");
    }
}
