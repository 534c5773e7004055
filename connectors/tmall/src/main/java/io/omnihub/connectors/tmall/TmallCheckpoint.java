package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.errors.ConfigException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The poller's checkpoint, one small JSON object with a part per source:
 *
 * <pre>{@code
 * {"v":2,
 *  "sync":{"from":"2025-05-19T02:00:00Z","to":"2025-05-19T08:00:00Z"},
 *  "tmc":{"confirm":["7001","7002"]}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code sync.from}: every trade modified before it has been read; it moves to the window's
 *       end only once the whole window was returned.</li>
 *   <li>{@code sync.to}: present while a window is being read, its end. Without {@code page} the
 *       next poll asks whether the window fits on one page (and narrows it if not); with
 *       {@code page} (and {@code "backward":true}) the window is being paged backwards and the next
 *       poll reads that page, of {@code size} trades per page whatever {@code sync-page-size} says
 *       meanwhile (page numbers only mean something for the size they were counted with).</li>
 *   <li>{@code sync.span}: between windows only, the width in seconds of the last window when it
 *       had to be narrowed; the next window starts at twice that instead of a whole day.</li>
 *   <li>{@code tmc.confirm}: the ids of the TMC messages of the batch this checkpoint commits. Once
 *       the hub committed it they are durable, so they may be confirmed; a crash before the
 *       confirm leaves them here and the next poll confirms them first.</li>
 * </ul>
 *
 * <p>Version 1 checkpoints (which paged forward) are read too: a window paged forward is read
 * again from its start, which repeats trades (same event ids) and never skips one.
 *
 * @param sync         where the sync stands; empty before its first poll
 * @param tmcToConfirm TMC message ids that become safe to confirm when this checkpoint is committed
 */
public record TmallCheckpoint(Optional<SyncPosition> sync, List<String> tmcToConfirm) {

    static final int VERSION = 2;
    /** Written by the connector before it paged backwards; still read. */
    static final int VERSION_FORWARD_PAGING = 1;

    public TmallCheckpoint {
        tmcToConfirm = List.copyOf(tmcToConfirm);
    }

    /** The checkpoint before the very first poll. */
    public static TmallCheckpoint initial() {
        return new TmallCheckpoint(Optional.empty(), List.of());
    }

    /**
     * Where the incremental sync stands: between windows, probing a window (does it fit on one
     * page?), or paging a window backwards.
     *
     * @param from         trades modified before it are read
     * @param windowEnd    the end of the window being read, or {@code null} between windows
     * @param backwardPage inside a window paged backwards, the page the next poll reads (counting
     *                     down to 1); {@code 0} otherwise
     * @param pageSize     inside a window paged backwards, the page size its pages were counted
     *                     with; {@code 0} otherwise
     * @param span         between windows, the width of the last window when it was narrowed to
     *                     fit on one page; {@code null} otherwise
     */
    public record SyncPosition(Instant from, Instant windowEnd, int backwardPage, int pageSize, Duration span) {

        public SyncPosition {
            Objects.requireNonNull(from, "from");
            boolean consistent = windowEnd == null
                    ? backwardPage == 0 && pageSize == 0
                    : span == null && !windowEnd.isBefore(from) && (backwardPage == 0) == (pageSize == 0)
                            && backwardPage >= 0 && pageSize >= 0;
            if (!consistent) {
                throw new IllegalArgumentException("inconsistent sync position");
            }
        }

        /** Between windows: the next window starts at {@code from} and may be up to a day wide. */
        public static SyncPosition at(Instant from) {
            return new SyncPosition(from, null, 0, 0, null);
        }

        /** Between windows, the last one narrowed to {@code span}: the next starts at twice that. */
        public static SyncPosition at(Instant from, Duration span) {
            return new SyncPosition(from, null, 0, 0, span);
        }

        /** Inside the window {@code [from, end]}, not yet known to fit on one page. */
        public static SyncPosition window(Instant from, Instant end) {
            return new SyncPosition(from, end, 0, 0, null);
        }

        /**
         * Inside the window {@code [from, end]}, paged backwards in pages of {@code pageSize}:
         * {@code page} is read next.
         */
        public static SyncPosition backward(Instant from, Instant end, int page, int pageSize) {
            if (page < 1 || pageSize < 1) {
                throw new IllegalArgumentException("page " + page + " of size " + pageSize);
            }
            return new SyncPosition(from, end, page, pageSize, null);
        }

        public boolean inWindow() {
            return windowEnd != null;
        }

        public boolean backward() {
            return backwardPage > 0;
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
            int version = root == null ? 0 : root.path("v").asInt();
            if (root == null || !root.isObject() || (version != VERSION && version != VERSION_FORWARD_PAGING)) {
                throw unreadable("not a version " + VERSION_FORWARD_PAGING + " or " + VERSION + " Tmall checkpoint");
            }
            Optional<SyncPosition> sync = Optional.empty();
            JsonNode s = root.path("sync");
            if (s.isObject()) {
                Instant from = Instant.parse(s.path("from").asText());
                Instant to = s.hasNonNull("to") ? Instant.parse(s.path("to").asText()) : null;
                int page = s.path("page").asInt(1);
                boolean backward = version == VERSION && s.path("backward").asBoolean(false);
                int size = s.path("size").asInt(0);
                long span = s.path("span").asLong(0);
                if (page < 1 || span < 0 || (to != null && to.isBefore(from)) || (backward && (to == null || size < 1))) {
                    throw unreadable("the sync window is inconsistent");
                }
                if (to == null) {
                    sync = Optional.of(span > 0 ? SyncPosition.at(from, Duration.ofSeconds(span)) : SyncPosition.at(from));
                } else if (backward) {
                    sync = Optional.of(SyncPosition.backward(from, to, page, size));
                } else {
                    // Probing, or a version 1 window paged forward: read the window again from its start.
                    sync = Optional.of(SyncPosition.window(from, to));
                }
            }
            List<String> confirm = new ArrayList<>();
            root.path("tmc").path("confirm").forEach(id -> confirm.add(id.asText()));
            return new TmallCheckpoint(sync, confirm);
        } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
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
            }
            if (position.backward()) {
                s.put("page", position.backwardPage());
                s.put("size", position.pageSize());
                s.put("backward", true);
            }
            if (position.span() != null) {
                s.put("span", position.span().toSeconds());
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
