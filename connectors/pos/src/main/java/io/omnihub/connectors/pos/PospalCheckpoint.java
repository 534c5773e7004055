package io.omnihub.connectors.pos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.errors.ConfigException;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * How far a {@code cloud-api} instance has read, as the hub stores it: a JSON object.
 * <ul>
 *   <li>between windows, {@code {"v":1,"after":"2025-05-20T01:58:00Z"}}: every ticket up to and
 *       including {@code after} is read;</li>
 *   <li>while paging through a window, {@code {"v":1,"after":..,"to":..,"page":{postBackParameter}}}:
 *       the window ({@code after}, {@code to}] is being read and {@code page} asks for its next page.
 *       Pospal's {@code postBackParameter} only holds for the same window, so the window travels
 *       with it.</li>
 * </ul>
 * Checkpoints only move forward: {@code after} never decreases, and within a window only the page
 * changes.
 *
 * @param after every ticket up to this instant is read
 * @param to    the end of the window being paged through, or {@code null} between windows
 * @param page  Pospal's {@code postBackParameter} for the next page, or {@code null} between windows
 */
record PospalCheckpoint(Instant after, Instant to, JsonNode page) {

    /** The state between windows. */
    static PospalCheckpoint after(Instant after) {
        return new PospalCheckpoint(after, null, null);
    }

    /** The state while paging through ({@code after}, {@code to}]. */
    static PospalCheckpoint paging(Instant after, Instant to, JsonNode page) {
        return new PospalCheckpoint(after, to, page);
    }

    /** Whether a window is being paged through. */
    boolean paging() {
        return to != null && page != null;
    }

    String toJson() {
        ObjectNode node = PospalApiClient.JSON.createObjectNode();
        node.put("v", 1);
        node.put("after", after.toString());
        if (paging()) {
            node.put("to", to.toString());
            node.set("page", page);
        }
        return node.toString();
    }

    /**
     * @throws ConfigException when {@code text} is not a checkpoint this connector wrote: the instance
     *     cannot know where to continue, and an operator must reset its checkpoint
     */
    static PospalCheckpoint parse(String text) {
        try {
            JsonNode node = PospalApiClient.JSON.readTree(text);
            if (node != null && node.isObject() && node.path("v").asInt() == 1 && node.path("after").isTextual()) {
                Instant after = Instant.parse(node.path("after").asText());
                JsonNode page = node.path("page");
                if (node.path("to").isTextual() && page.isObject()) {
                    return paging(after, Instant.parse(node.path("to").asText()), page);
                }
                return after(after);
            }
        } catch (IOException | DateTimeException e) {
            // reported below
        }
        throw new ConfigException("the stored checkpoint is not one the POS cloud-api source writes: '" + text
                + "'; reset the instance's checkpoint");
    }
}
