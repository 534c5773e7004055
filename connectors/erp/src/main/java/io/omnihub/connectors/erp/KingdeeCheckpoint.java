package io.omnihub.connectors.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.errors.ConfigException;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How far polling has come, per form: the newest {@code FModifyDate} already emitted and the ids
 * of the records emitted at exactly that time.
 *
 * <p>The query asks for {@code FModifyDate>='since'}, so the records at {@code since} come back
 * on every poll; {@code seen} lets the poller skip them. It only holds ids at the one boundary
 * time and is replaced when the watermark moves on, so it stays small.
 *
 * <p>Written as JSON, e.g.
 * {@code {"v":1,"BD_Customer":{"since":"2024-05-20T10:15:30.123","seen":["100231"]}}}. A checkpoint
 * only moves forward: see {@link #isAtOrAfter}.
 */
public final class KingdeeCheckpoint {

    /** Where nothing has been polled yet. */
    public static final KingdeeCheckpoint EMPTY = new KingdeeCheckpoint(Map.of());

    static final int VERSION = 1;

    /**
     * One form's position.
     *
     * @param since the newest modification time emitted, or {@code null} before the first record
     * @param seen  ids of the records emitted with modification time exactly {@code since}
     */
    public record Mark(LocalDateTime since, SortedSet<String> seen) {

        /** The start of a form with no position: {@code since} from configuration, nothing seen. */
        public static Mark start(LocalDateTime since) {
            return new Mark(since, new TreeSet<>());
        }

        public Mark {
            seen = Collections.unmodifiableSortedSet(new TreeSet<>(seen));
            if (since == null && !seen.isEmpty()) {
                throw new IllegalArgumentException("ids seen without a watermark");
            }
        }

        /** Whether this mark is not behind {@code other}. */
        public boolean isAtOrAfter(Mark other) {
            if (other.since == null) {
                return true;
            }
            if (since == null) {
                return false;
            }
            int compared = since.compareTo(other.since);
            return compared > 0 || compared == 0 && seen.containsAll(other.seen);
        }
    }

    private final Map<KingdeeForm, Mark> marks;

    private KingdeeCheckpoint(Map<KingdeeForm, Mark> marks) {
        EnumMap<KingdeeForm, Mark> copy = new EnumMap<>(KingdeeForm.class);
        copy.putAll(marks);
        this.marks = Collections.unmodifiableMap(copy);
    }

    /** This form's mark, if it was ever polled. */
    public Optional<Mark> mark(KingdeeForm form) {
        return Optional.ofNullable(marks.get(form));
    }

    /** A copy with {@code form} at {@code mark}. */
    public KingdeeCheckpoint with(KingdeeForm form, Mark mark) {
        EnumMap<KingdeeForm, Mark> copy = new EnumMap<>(KingdeeForm.class);
        copy.putAll(marks);
        copy.put(form, mark);
        return new KingdeeCheckpoint(copy);
    }

    /** Whether no form is behind where it is in {@code other}. */
    public boolean isAtOrAfter(KingdeeCheckpoint other) {
        for (Map.Entry<KingdeeForm, Mark> entry : other.marks.entrySet()) {
            Mark mine = marks.get(entry.getKey());
            if (mine == null || !mine.isAtOrAfter(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The checkpoint text the hub stores. */
    public String toJson() {
        ObjectNode root = KingdeeApiClient.JSON.createObjectNode();
        root.put("v", VERSION);
        marks.forEach((form, mark) -> {
            ObjectNode node = root.putObject(form.formId());
            node.put("since", mark.since() == null ? null : KingdeeDates.canonical(mark.since()));
            mark.seen().forEach(node.putArray("seen")::add);
        });
        try {
            return KingdeeApiClient.JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a checkpoint this class wrote.
     *
     * @throws ConfigException when the text is not one: the stored checkpoint was damaged or belongs
     *     to another connector, and polling must not guess where to start
     */
    public static KingdeeCheckpoint parse(String text) {
        try {
            JsonNode root = KingdeeApiClient.JSON.readTree(text);
            if (root == null || !root.isObject() || root.path("v").asInt(-1) != VERSION) {
                throw unreadable("not a version " + VERSION + " Kingdee checkpoint");
            }
            EnumMap<KingdeeForm, Mark> marks = new EnumMap<>(KingdeeForm.class);
            for (KingdeeForm form : KingdeeForm.values()) {
                JsonNode node = root.get(form.formId());
                if (node == null) {
                    continue;
                }
                JsonNode since = node.path("since");
                TreeSet<String> seen = new TreeSet<>();
                node.path("seen").forEach(id -> seen.add(id.asText()));
                marks.put(form, new Mark(since.isTextual() ? KingdeeDates.parse(since.asText()) : null, seen));
            }
            return new KingdeeCheckpoint(marks);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw unreadable(e.getMessage());
        }
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
