package io.omnihub.connectors.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.errors.ConfigException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far polling has come, per form and {@link Track}: the newest time emitted, where the next
 * query starts (a little behind it, by {@code sync-lag}) and the ids already emitted from there on.
 *
 * <p>The query asks for rows at or after {@code from}, so the rows emitted in the overlap come back
 * on every poll; {@code seen} lets the poller skip them and emit only rows it has not emitted, such
 * as a row committed late with an older modification time. {@code seen} only holds ids between
 * {@code from} and {@code since}, and at most about a page of them, so it stays small.
 *
 * <p>Written as JSON, e.g.
 * {@code {"v":2,"BD_Customer":{"modified":{"since":"2024-05-20T10:15:30.123","from":"2024-05-20T10:12:30.123",
 * "seen":{"2024-05-20T10:15:30.123":["100231"]}},"created":{"since":null,"from":null,"seen":{}}}}}.
 * A version 1 checkpoint (one watermark per form, ids at exactly that time) is still read. A
 * checkpoint only moves forward: see {@link #isAtOrAfter}.
 */
public final class KingdeeCheckpoint {

    /** Where nothing has been polled yet. */
    public static final KingdeeCheckpoint EMPTY = new KingdeeCheckpoint(Map.of());

    static final int VERSION = 2;

    /**
     * The two watermarks of a form. A row with an {@code FModifyDate} is tracked by it; a row that
     * was never modified has none (Kingdee leaves it empty) and is tracked by its
     * {@code FCreateDate} instead. The query reads both in one {@code FilterString}:
     * {@code (FModifyDate>='a' OR (FModifyDate IS NULL AND FCreateDate>='b'))}.
     */
    public enum Track {
        /** Rows with a modification time, by {@code FModifyDate}. */
        MODIFIED("modified", KingdeeForm.MODIFY_DATE),
        /** Rows never modified ({@code FModifyDate} empty), by {@code FCreateDate}. */
        CREATED("created", KingdeeForm.CREATE_DATE);

        private final String key;
        private final String field;

        Track(String key, String field) {
            this.key = key;
            this.field = field;
        }

        /** The name in the checkpoint JSON. */
        public String key() {
            return key;
        }

        /** The Kingdee field this track's watermark follows. */
        public String field() {
            return field;
        }
    }

    /**
     * One track's position.
     *
     * @param since the newest time emitted, or where polling starts; {@code null} for the beginning
     * @param from  where the next query starts: {@code since} less {@code sync-lag}, never moving
     *              back; {@code null} exactly when {@code since} is
     * @param seen  ids of the rows emitted, by their time, for times from {@code from} to {@code since}
     */
    public record Mark(LocalDateTime since, LocalDateTime from, SortedMap<LocalDateTime, SortedSet<String>> seen) {

        /** The start of a track with no position: {@code since} from configuration, nothing seen. */
        public static Mark start(LocalDateTime since) {
            return new Mark(since, since, new TreeMap<>());
        }

        public Mark {
            TreeMap<LocalDateTime, SortedSet<String>> copy = new TreeMap<>();
            seen.forEach((time, ids) -> {
                if (!ids.isEmpty()) {
                    copy.put(time, Collections.unmodifiableSortedSet(new TreeSet<>(ids)));
                }
            });
            seen = Collections.unmodifiableSortedMap(copy);
            if ((since == null) != (from == null)) {
                throw new IllegalArgumentException("a watermark needs both 'since' and 'from', or neither");
            }
            if (since == null && !seen.isEmpty()) {
                throw new IllegalArgumentException("ids seen without a watermark");
            }
            if (since != null && from.isAfter(since)) {
                throw new IllegalArgumentException("'from' " + from + " is after 'since' " + since);
            }
            if (!seen.isEmpty() && (seen.firstKey().isBefore(from) || seen.lastKey().isAfter(since))) {
                throw new IllegalArgumentException("ids seen outside " + from + " .. " + since);
            }
        }

        /** Whether the row {@code id} at {@code time} was emitted already. */
        public boolean saw(LocalDateTime time, String id) {
            SortedSet<String> ids = seen.get(time);
            return ids != null && ids.contains(id);
        }

        /** Whether a row at {@code time} lies behind this mark, before where queries start. */
        public boolean isBehind(LocalDateTime time) {
            return from != null && time.isBefore(from);
        }

        /** How many ids {@link #seen} holds. */
        public int seenCount() {
            return seen.values().stream().mapToInt(SortedSet::size).sum();
        }

        /**
         * This mark after emitting {@code emitted} (ids by time): {@code since} moves to the newest
         * time, {@code from} to {@code lag} behind it (never back), and {@code seen} forgets what is
         * before {@code from}. When more than {@code maxSeen} ids are left, the oldest times are
         * dropped and {@code from} moves past them (a burst narrows the overlap rather than grow the
         * checkpoint), but the ids at {@code since} itself are always kept.
         */
        Mark after(SortedMap<LocalDateTime, ? extends SortedSet<String>> emitted, Duration lag, int maxSeen) {
            if (emitted.isEmpty()) {
                return this;
            }
            TreeMap<LocalDateTime, SortedSet<String>> all = new TreeMap<>();
            seen.forEach((time, ids) -> all.put(time, new TreeSet<>(ids)));
            emitted.forEach((time, ids) -> all.computeIfAbsent(time, t -> new TreeSet<>()).addAll(ids));
            LocalDateTime newSince = since == null || all.lastKey().isAfter(since) ? all.lastKey() : since;
            LocalDateTime newFrom = newSince.minus(lag);
            if (from != null && from.isAfter(newFrom)) {
                newFrom = from;
            }
            all.headMap(newFrom).clear();
            int count = all.values().stream().mapToInt(SortedSet::size).sum();
            Iterator<Map.Entry<LocalDateTime, SortedSet<String>>> oldest = all.entrySet().iterator();
            while (count > maxSeen && all.size() > 1) {
                count -= oldest.next().getValue().size();
                oldest.remove();
                newFrom = all.firstKey();
            }
            return new Mark(newSince, newFrom, all);
        }

        /**
         * Whether this mark is not behind {@code other}: its watermark and start are not earlier, and
         * it still knows every row {@code other} had emitted that its own queries read again.
         */
        public boolean isAtOrAfter(Mark other) {
            if (other.since == null) {
                return true;
            }
            if (since == null || since.isBefore(other.since) || from.isBefore(other.from)) {
                return false;
            }
            for (Map.Entry<LocalDateTime, SortedSet<String>> entry : other.seen.tailMap(from).entrySet()) {
                SortedSet<String> mine = seen.get(entry.getKey());
                if (mine == null || !mine.containsAll(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Map<KingdeeForm, Map<Track, Mark>> marks;

    private KingdeeCheckpoint(Map<KingdeeForm, Map<Track, Mark>> marks) {
        EnumMap<KingdeeForm, Map<Track, Mark>> copy = new EnumMap<>(KingdeeForm.class);
        marks.forEach((form, tracks) -> {
            EnumMap<Track, Mark> trackCopy = new EnumMap<>(Track.class);
            trackCopy.putAll(tracks);
            copy.put(form, Collections.unmodifiableMap(trackCopy));
        });
        this.marks = Collections.unmodifiableMap(copy);
    }

    /** This form's mark on {@code track}, if it was ever polled. */
    public Optional<Mark> mark(KingdeeForm form, Track track) {
        return Optional.ofNullable(marks.getOrDefault(form, Map.of()).get(track));
    }

    /** A copy with {@code form}'s {@code track} at {@code mark}. */
    public KingdeeCheckpoint with(KingdeeForm form, Track track, Mark mark) {
        EnumMap<KingdeeForm, Map<Track, Mark>> copy = new EnumMap<>(KingdeeForm.class);
        copy.putAll(marks);
        EnumMap<Track, Mark> tracks = new EnumMap<>(Track.class);
        tracks.putAll(marks.getOrDefault(form, Map.of()));
        tracks.put(track, mark);
        copy.put(form, tracks);
        return new KingdeeCheckpoint(copy);
    }

    /** Whether no form's track is behind where it is in {@code other}. */
    public boolean isAtOrAfter(KingdeeCheckpoint other) {
        for (Map.Entry<KingdeeForm, Map<Track, Mark>> form : other.marks.entrySet()) {
            for (Map.Entry<Track, Mark> track : form.getValue().entrySet()) {
                Optional<Mark> mine = mark(form.getKey(), track.getKey());
                if (mine.isEmpty() || !mine.get().isAtOrAfter(track.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The checkpoint text the hub stores. */
    public String toJson() {
        ObjectNode root = KingdeeApiClient.JSON.createObjectNode();
        root.put("v", VERSION);
        marks.forEach((form, tracks) -> {
            ObjectNode formNode = root.putObject(form.formId());
            tracks.forEach((track, mark) -> {
                ObjectNode node = formNode.putObject(track.key());
                node.put("since", mark.since() == null ? null : KingdeeDates.canonical(mark.since()));
                node.put("from", mark.from() == null ? null : KingdeeDates.canonical(mark.from()));
                ObjectNode seen = node.putObject("seen");
                mark.seen().forEach((time, ids) -> ids.forEach(seen.putArray(KingdeeDates.canonical(time))::add));
            });
        });
        try {
            return KingdeeApiClient.JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a checkpoint this class wrote, in this version or version 1.
     *
     * <p>A version 1 checkpoint held one watermark per form, on {@code FModifyDate}, and the ids at
     * exactly that time: it becomes the {@link Track#MODIFIED} mark with no overlap yet, and the
     * {@link Track#CREATED} track is absent, so it starts where configuration says.
     *
     * @throws ConfigException when the text is not one: the stored checkpoint was damaged or belongs
     *     to another connector, and polling must not guess where to start
     */
    public static KingdeeCheckpoint parse(String text) {
        try {
            JsonNode root = KingdeeApiClient.JSON.readTree(text);
            int version = root == null || !root.isObject() ? -1 : root.path("v").asInt(-1);
            if (version != VERSION && version != 1) {
                throw unreadable("not a version " + VERSION + " Kingdee checkpoint");
            }
            EnumMap<KingdeeForm, Map<Track, Mark>> marks = new EnumMap<>(KingdeeForm.class);
            for (KingdeeForm form : KingdeeForm.values()) {
                JsonNode node = root.get(form.formId());
                if (node == null) {
                    continue;
                }
                if (!node.isObject()) {
                    throw unreadable(form.formId() + " is not an object");
                }
                EnumMap<Track, Mark> tracks = new EnumMap<>(Track.class);
                if (version == 1) {
                    tracks.put(Track.MODIFIED, versionOne(node));
                } else {
                    for (Track track : Track.values()) {
                        JsonNode mark = node.get(track.key());
                        if (mark != null) {
                            tracks.put(track, mark(mark));
                        }
                    }
                }
                marks.put(form, tracks);
            }
            return new KingdeeCheckpoint(marks);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw unreadable(e.getMessage());
        }
    }

    private static Mark versionOne(JsonNode node) {
        LocalDateTime since = time(node.path("since"));
        TreeSet<String> ids = new TreeSet<>();
        node.path("seen").forEach(id -> ids.add(id.asText()));
        TreeMap<LocalDateTime, SortedSet<String>> seen = new TreeMap<>();
        if (since != null && !ids.isEmpty()) {
            seen.put(since, ids);
        }
        return new Mark(since, since, seen);
    }

    private static Mark mark(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a track is not an object");
        }
        TreeMap<LocalDateTime, SortedSet<String>> seen = new TreeMap<>();
        node.path("seen").fields().forEachRemaining(entry -> {
            TreeSet<String> ids = new TreeSet<>();
            entry.getValue().forEach(id -> ids.add(id.asText()));
            seen.put(KingdeeDates.parse(entry.getKey()), ids);
        });
        return new Mark(time(node.path("since")), time(node.path("from")), seen);
    }

    private static LocalDateTime time(JsonNode value) {
        return value.isTextual() ? KingdeeDates.parse(value.asText()) : null;
    }

    private static ConfigException unreadable(String why) {
        return new ConfigException("the stored checkpoint of this Kingdee instance cannot be read (" + why
                + "); reset it to poll again from 'sync-start'");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KingdeeCheckpoint that && marks.equals(that.marks);
    }

    @Override
    public int hashCode() {
        return marks.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
