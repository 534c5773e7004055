package io.omnihub.connectors.pos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.errors.ConfigException;
import java.io.IOException;
import java.util.Locale;

/**
 * How far a {@code csv-folder} instance has read, as the hub stores it: the file being read (by
 * name, size and modification time, so a new file under an old name is not mistaken for it), how
 * many rows of it are done and the byte offset after them, and whether it is finished.
 * <pre>
 * {"v":1,"file":"sales-0520.csv","size":20480,"modified":1747704000000,"state":"reading","row":501,"offset":18321}
 * {"v":1,"file":"sales-0520.csv","size":20480,"modified":1747704000000,"state":"done","row":540,"offset":20480}
 * {"v":1,"file":"bad.csv","size":99,"modified":1747704000000,"state":"error","row":0,"offset":0,"reason":"..."}
 * </pre>
 * Once the hub has committed a {@code done} or {@code error} checkpoint, the file is moved to
 * {@code done/} or {@code error/}.
 *
 * @param file     the file name inside the folder, or {@code null} before the first file
 * @param size     its size in bytes when it was read
 * @param modified its modification time, epoch milliseconds
 * @param state    where it stands
 * @param row      how many rows (records, the header included) are read
 * @param offset   the byte offset just after them
 * @param reason   why the file as a whole cannot be read, for {@code error}
 */
record CsvFolderCheckpoint(String file, long size, long modified, State state, int row, long offset, String reason) {

    /** Where a file stands. */
    enum State {
        /** Rows up to {@code row} are read; more follow. */
        READING,
        /** Every row is read; the file goes to {@code done/}. */
        DONE,
        /** The file cannot be read as a whole; it goes to {@code error/}. */
        ERROR
    }

    /** Before any file. */
    static final CsvFolderCheckpoint NONE = new CsvFolderCheckpoint(null, 0, 0, State.DONE, 0, 0, null);

    /** Whether this checkpoint names {@code file} as it is now. */
    boolean isAbout(CsvFile file) {
        return isAbout(file.name(), file.size(), file.modified());
    }

    /** Whether this checkpoint names the file {@code name} of that size and modification time. */
    boolean isAbout(String name, long size, long modified) {
        return file != null && file.equals(name) && this.size == size && this.modified == modified;
    }

    String toJson() {
        ObjectNode node = PospalApiClient.JSON.createObjectNode();
        node.put("v", 1);
        if (file != null) {
            node.put("file", file);
            node.put("size", size);
            node.put("modified", modified);
            node.put("state", state.name().toLowerCase(Locale.ROOT));
            node.put("row", row);
            node.put("offset", offset);
            if (reason != null) {
                node.put("reason", reason);
            }
        }
        return node.toString();
    }

    /**
     * @throws ConfigException when {@code text} is not a checkpoint this connector wrote: the instance
     *     cannot know where to continue, and an operator must reset its checkpoint
     */
    static CsvFolderCheckpoint parse(String text) {
        try {
            JsonNode node = PospalApiClient.JSON.readTree(text);
            if (node != null && node.isObject() && node.path("v").asInt() == 1) {
                if (!node.has("file")) {
                    return NONE;
                }
                if (node.path("file").isTextual() && node.path("state").isTextual()) {
                    return new CsvFolderCheckpoint(node.path("file").asText(), node.path("size").asLong(),
                            node.path("modified").asLong(), State.valueOf(node.path("state").asText().toUpperCase(Locale.ROOT)),
                            node.path("row").asInt(), node.path("offset").asLong(),
                            node.path("reason").isTextual() ? node.path("reason").asText() : null);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException("the stored checkpoint is not one the POS csv-folder source writes: '" + text
                + "'; reset the instance's checkpoint");
    }
}
