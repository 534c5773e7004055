package io.omnihub.crm;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A profile's attributes and consent as stored: {@code {name: {v, at, ev}}}, one statement per name,
 * the most recent (by the time it was made at the channel) winning.
 */
final class StatementMaps {

    private StatementMaps() {
    }

    /** Sets {@code name} when the statement at {@code at} is at least as recent as the stored one; true when it changed. */
    static boolean state(ObjectNode map, String name, JsonNode value, Instant at, String eventId) {
        JsonNode cur = map.get(name);
        if (cur != null && cur.hasNonNull("at") && Instant.parse(cur.get("at").asString()).isAfter(at)) {
            return false;
        }
        if (cur != null && cur.path("v").equals(value)) {
            if (cur.hasNonNull("at") && Instant.parse(cur.get("at").asString()).equals(at)) {
                return false;
            }
        }
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.set("v", value);
        e.put("at", at.toString());
        e.put("ev", eventId);
        map.set(name, e);
        return true;
    }

    /**
     * Combines {@code from} into {@code into} (the more recent statement wins per name) and returns
     * the previous entries of {@code into} that changed (null node when it had none).
     */
    static ObjectNode combine(ObjectNode into, ObjectNode from) {
        ObjectNode before = Json.MAPPER.createObjectNode();
        from.properties().forEach(e -> {
            JsonNode cur = into.get(e.getKey());
            Instant theirs = e.getValue().hasNonNull("at") ? Instant.parse(e.getValue().get("at").asString()) : Instant.MIN;
            Instant ours = cur != null && cur.hasNonNull("at") ? Instant.parse(cur.get("at").asString()) : null;
            if (ours == null || theirs.isAfter(ours)) {
                before.set(e.getKey(), cur == null ? NullNode.getInstance() : cur.deepCopy());
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return before;
    }

    /**
     * Undoes a {@link #combine}: each name {@code merged} won on {@code survivor} goes back to its
     * entry {@code before} the merge, unless it changed since. True when anything changed.
     */
    static boolean revert(ObjectNode survivor, ObjectNode merged, JsonNode before) {
        boolean changed = false;
        if (!(before instanceof ObjectNode b)) {
            return false;
        }
        for (var it = b.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            JsonNode now = survivor.get(e.getKey());
            if (now != null && now.equals(merged.get(e.getKey()))) {
                if (e.getValue().isNull()) {
                    survivor.remove(e.getKey());
                } else {
                    survivor.set(e.getKey(), e.getValue());
                }
                changed = true;
            }
        }
        return changed;
    }
}
