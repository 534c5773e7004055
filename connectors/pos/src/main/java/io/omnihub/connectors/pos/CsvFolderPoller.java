package io.omnihub.connectors.pos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connectors.pos.CsvFolderCheckpoint.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads CSV files dropped in the folder, one file at a time, oldest first, in batches of at most
 * {@code batch-size} rows.
 *
 * <p><b>Which files.</b> Regular files named {@code *.csv} directly in the folder, not hidden, not
 * modified within {@code settle-seconds} (a file still being copied is left alone; so are
 * {@code .part} and {@code .tmp} names, which an uploader renames when done).
 *
 * <p><b>Records.</b> One raw record per ticket: a data row, or consecutive rows with the same
 * store and ticket number when the export lists one line item per row (the event id is per
 * ticket, so its rows must travel together). Key {@code <file>#<row>} (or {@code <file>#<first>-<last>}),
 * attributes {@code file} and {@code row}, payload JSON with the header and the rows' cells.
 * Rows are checked by the normalizer, so a bad row fails alone and is parked on the dead-letter
 * queue while the rest of the file goes on.
 *
 * <p><b>Files as a whole.</b> Before its first batch a file is read once in full: a file that does
 * not decode, has no header or lacks mapped columns yields no records and an {@code error}
 * checkpoint.
 *
 * <p><b>Tidying up.</b> When the hub has committed a checkpoint that finishes a file
 * ({@link #committed}), the file moves to {@code done/}, or to {@code error/} with
 * {@code <file>.error.txt} giving the reason. Should a crash skip that, the next poll does it from
 * the committed checkpoint. A crash before the commit offers the older checkpoint again: the poll
 * then resumes at its byte offset and repeats the same rows, whose events have the same ids.
 *
 * <p>Polls and commits are serialised on this object.
 */
final class CsvFolderPoller implements Poller {

    private final ConnectorContext ctx;
    private final CsvFolderConfig config;

    CsvFolderPoller(ConnectorContext ctx, CsvFolderConfig config) {
        this.ctx = ctx;
        this.config = config;
    }

    @Override
    public synchronized PollResult poll(Optional<String> checkpoint) {
        requireFolder();
        CsvFolderCheckpoint current = checkpoint.map(CsvFolderCheckpoint::parse).orElse(CsvFolderCheckpoint.NONE);
        tidyUp(current);
        try {
            if (current.state() == State.READING) {
                Path path = config.folder().resolve(current.file());
                if (Files.isRegularFile(path)) {
                    CsvFile file = CsvFile.of(path, config.charset());
                    if (current.isAbout(file)) {
                        return continueFile(file, current);
                    }
                    log(System.Logger.Level.WARNING, "{0} changed while being read (after row {1}); it is read again "
                            + "from the start once it has settled", current.file(), current.row());
                } else {
                    log(System.Logger.Level.WARNING, "{0} disappeared while being read (after row {1})",
                            current.file(), current.row());
                }
            }
            Optional<CsvFile> next = nextFile(current);
            if (next.isEmpty()) {
                return new PollResult(List.of(), checkpoint.orElseGet(current::toJson), false);
            }
            return startFile(next.get());
        } catch (NoSuchFileException e) {
            throw new TransientException("a file disappeared while being read: " + e.getFile());
        } catch (IOException e) {
            throw new TransientException("cannot read the folder " + config.folder() + ": " + e);
        }
    }

    /** Moves the file a committed checkpoint finished to {@code done/} or {@code error/}. */
    @Override
    public synchronized void committed(String checkpoint) {
        tidyUp(CsvFolderCheckpoint.parse(checkpoint));
    }

    @Override
    public Duration interval() {
        return config.common().pollInterval();
    }

    private PollResult startFile(CsvFile file) throws IOException {
        CsvFile.Header header;
        try {
            header = file.validate(config);
        } catch (CsvFile.Unreadable e) {
            return unreadable(file, 0, 0, e.getMessage());
        } catch (AccessDeniedException e) {
            return unreadable(file, 0, 0, "the hub may not read the file: " + e.getMessage());
        }
        log(System.Logger.Level.INFO, "reading {0} ({1} bytes, {2})", file.name(), file.size(), file.charset().name());
        return readBatch(file, header, header.row(), header.endOffset());
    }

    private PollResult continueFile(CsvFile file, CsvFolderCheckpoint at) throws IOException {
        CsvFile.Header header;
        try {
            header = file.header(config);
        } catch (CsvFile.Unreadable e) {
            return unreadable(file, at.row(), at.offset(), e.getMessage());
        }
        return readBatch(file, header, at.row(), at.offset());
    }

    /**
     * Reads rows after {@code row} (at byte {@code offset}) until the batch is full at a ticket
     * boundary or the file ends.
     */
    private PollResult readBatch(CsvFile file, CsvFile.Header header, int row, long offset) throws IOException {
        List<RawRecord> records = new ArrayList<>();
        Instant now = ctx.clock().instant();
        int rows = 0;
        List<CsvParser.Record> ticket = new ArrayList<>();
        String ticketKey = null;
        try (CsvFile.Rows open = file.rows(offset, row)) {
            CsvParser parser = open.parser();
            CsvParser.Record record;
            while ((record = parser.next()) != null) {
                if (record.isBlank()) {
                    continue;
                }
                String key = ticketKey(record, header.header());
                if (!ticket.isEmpty() && key != null && key.equals(ticketKey)) {
                    ticket.add(record);
                    continue;
                }
                if (!ticket.isEmpty()) {
                    records.add(rawRecord(file, header.header(), ticket, now));
                    rows += ticket.size();
                    if (rows >= config.batchSize()) {
                        // Stop before this row: the next poll starts with it.
                        CsvFolderCheckpoint next = checkpoint(file, State.READING, record.row() - 1, record.startOffset(), null);
                        return new PollResult(records, next.toJson(), true);
                    }
                    ticket = new ArrayList<>();
                }
                ticket.add(record);
                ticketKey = key;
            }
            if (!ticket.isEmpty()) {
                records.add(rawRecord(file, header.header(), ticket, now));
            }
            CsvFolderCheckpoint done = checkpoint(file, State.DONE, parser.row(), parser.offset(), null);
            log(System.Logger.Level.INFO, "read {0} to its end (row {1})", file.name(), parser.row());
            return new PollResult(records, done.toJson(), nextFile(done).isPresent());
        } catch (CsvParser.UndecodableException e) {
            // validate() decoded every row, so the file changed under us: keep what earlier batches gave.
            return unreadable(file, row, offset, e.getMessage() + "; rows before it were read");
        }
    }

    /** The grouping key of a row: its store and ticket number, or {@code null} when it has no ticket number. */
    private static String ticketKey(CsvParser.Record record, CsvHeader header) {
        if (record.problem() != null) {
            return null;
        }
        String sn = cell(record, header.index(CsvField.TICKET_SN));
        if (sn.isEmpty()) {
            return null;
        }
        return cell(record, header.index(CsvField.STORE_ID)) + "\u0000" + sn;
    }

    private static String cell(CsvParser.Record record, Optional<Integer> index) {
        if (index.isEmpty() || index.get() >= record.cells().size()) {
            return "";
        }
        return CsvTicketNormalizer.clean(record.cells().get(index.get()));
    }

    private RawRecord rawRecord(CsvFile file, CsvHeader header, List<CsvParser.Record> rows, Instant now) {
        ObjectNode payload = PospalApiClient.JSON.createObjectNode();
        payload.put("file", file.name());
        ArrayNode names = payload.putArray("header");
        header.names().forEach(names::add);
        ArrayNode list = payload.putArray("rows");
        for (CsvParser.Record row : rows) {
            ObjectNode entry = list.addObject();
            entry.put("row", row.row());
            ArrayNode cells = entry.putArray("cells");
            row.cells().forEach(cells::add);
            if (row.problem() != null) {
                entry.put("problem", row.problem());
            }
        }
        int first = rows.get(0).row();
        int last = rows.get(rows.size() - 1).row();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("file", file.name());
        attributes.put("row", Integer.toString(first));
        if (last != first) {
            attributes.put("lastRow", Integer.toString(last));
        }
        String key = file.name() + "#" + first + (last != first ? "-" + last : "");
        try {
            return new RawRecord(key, "application/json", PospalApiClient.JSON.writeValueAsBytes(payload), attributes, now);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a CSV row cannot be written as JSON", e);
        }
    }

    private PollResult unreadable(CsvFile file, int row, long offset, String reason) throws IOException {
        log(System.Logger.Level.WARNING, "{0} cannot be read and goes to error/ once committed: {1}", file.name(), reason);
        CsvFolderCheckpoint failed = checkpoint(file, State.ERROR, row, offset, reason);
        return new PollResult(List.of(), failed.toJson(), nextFile(failed).isPresent());
    }

    private static CsvFolderCheckpoint checkpoint(CsvFile file, State state, int row, long offset, String reason) {
        return new CsvFolderCheckpoint(file.name(), file.size(), file.modified(), state, row, offset, reason);
    }

    /**
     * The oldest file that is ready, leaving out the one {@code current} has finished (it is still
     * here when moving it failed, and must not be read again). Only the chosen file is opened.
     */
    private Optional<CsvFile> nextFile(CsvFolderCheckpoint current) throws IOException {
        Instant settledBefore = ctx.clock().instant().minus(config.settle());
        Path oldest = null;
        FileTime oldestModified = null;
        try (Stream<Path> entries = Files.list(config.folder())) {
            for (Path path : (Iterable<Path>) entries::iterator) {
                String name = path.getFileName().toString();
                if (!isCandidateName(name)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue;
                }
                FileTime modified = attributes.lastModifiedTime();
                if (!attributes.isRegularFile() || modified.toInstant().isAfter(settledBefore)) {
                    continue;
                }
                if (current.state() != State.READING && current.isAbout(name, attributes.size(), modified.toMillis())) {
                    continue;
                }
                int order = oldest == null ? -1 : modified.compareTo(oldestModified);
                if (order < 0 || order == 0 && name.compareTo(oldest.getFileName().toString()) < 0) {
                    oldest = path;
                    oldestModified = modified;
                }
            }
        }
        if (oldest == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CsvFile.of(oldest, config.charset()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** {@code *.csv}, not hidden, not an Excel lock file; {@code .part} and {@code .tmp} never match. */
    static boolean isCandidateName(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".csv") && !name.startsWith(".") && !name.startsWith("~$");
    }

    private void tidyUp(CsvFolderCheckpoint checkpoint) {
        if (checkpoint.file() == null || checkpoint.state() == State.READING) {
            return;
        }
        Path path = config.folder().resolve(checkpoint.file());
        try {
            if (!Files.isRegularFile(path) || !checkpoint.isAbout(CsvFile.of(path, config.charset()))) {
                return;
            }
            if (checkpoint.state() == State.DONE) {
                Path target = move(path, config.doneFolder());
                log(System.Logger.Level.INFO, "moved {0} to {1}", checkpoint.file(), config.folder().relativize(target));
            } else {
                Path target = move(path, config.errorFolder());
                Files.writeString(target.resolveSibling(target.getFileName() + ".error.txt"),
                        checkpoint.file() + " could not be read: " + checkpoint.reason() + "\n", StandardCharsets.UTF_8);
                log(System.Logger.Level.WARNING, "moved {0} to {1}: {2}", checkpoint.file(),
                        config.folder().relativize(target), checkpoint.reason());
            }
        } catch (NoSuchFileException e) {
            // moved already, by another poll on this node
        } catch (IOException e) {
            log(System.Logger.Level.ERROR, "could not move {0} out of the folder: {1}", checkpoint.file(), e.toString());
        }
    }

    /** Moves {@code file} into {@code folder}, under a new name if one of that name is there already. */
    private static Path move(Path file, Path folder) throws IOException {
        Files.createDirectories(folder);
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Path target = folder.resolve(name);
        for (int i = 2; Files.exists(target); i++) {
            target = folder.resolve(base + "-" + i + extension);
        }
        try {
            return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(file, target);
        }
    }

    private void requireFolder() {
        if (!Files.isDirectory(config.folder())) {
            throw new ConfigException("the folder " + config.folder() + " does not exist or is not a folder");
        }
    }

    private void log(System.Logger.Level level, String format, Object... params) {
        ctx.logger().log(level, format, params);
    }
}
