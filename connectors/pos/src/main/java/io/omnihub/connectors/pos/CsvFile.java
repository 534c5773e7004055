package io.omnihub.connectors.pos;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * One CSV file in the folder: its identity (name, size, modification time) and how to read it. A
 * file that starts with a UTF-8 byte order mark is read as UTF-8 whatever {@code encoding} says,
 * and the mark is not part of the header.
 */
final class CsvFile {

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Path path;
    private final long size;
    private final long modified;
    private final Charset charset;
    private final long dataStart;

    private CsvFile(Path path, long size, long modified, Charset charset, long dataStart) {
        this.path = path;
        this.size = size;
        this.modified = modified;
        this.charset = charset;
        this.dataStart = dataStart;
    }

    /** The file at {@code path} as it is now, read in {@code configured} unless it has a UTF-8 BOM. */
    static CsvFile of(Path path, Charset configured) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        byte[] start = new byte[3];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(start, 0, 3);
        } catch (AccessDeniedException e) {
            // Reading it fails again in validate(), which sends the file to error/ with the reason.
            read = 0;
        }
        boolean bom = read == 3 && Arrays.equals(start, UTF8_BOM);
        return new CsvFile(path, attributes.size(), attributes.lastModifiedTime().toMillis(),
                bom ? StandardCharsets.UTF_8 : configured, bom ? UTF8_BOM.length : 0);
    }

    Path path() {
        return path;
    }

    String name() {
        return path.getFileName().toString();
    }

    long size() {
        return size;
    }

    long modified() {
        return modified;
    }

    Charset charset() {
        return charset;
    }

    /**
     * Reads the header row, the first row that is not empty.
     *
     * @throws Unreadable when the file has no header or the header lacks mapped columns
     */
    Header header(CsvFolderConfig config) throws IOException, Unreadable {
        try (Rows rows = rows(dataStart, 0)) {
            CsvParser.Record record;
            while ((record = rows.parser().next()) != null) {
                if (!record.isBlank()) {
                    return header(record, config);
                }
            }
        } catch (CsvParser.UndecodableException e) {
            throw undecodable(e);
        }
        throw new Unreadable("the file is empty: there is no header row");
    }

    /**
     * Reads the whole file once, before any row of it is handed out: every field must decode in
     * the file's encoding, and the header must name the mapped columns. A file that fails is wrong
     * as a whole (the wrong encoding, another export) and goes to {@code error/} untouched.
     *
     * @throws Unreadable saying why the file cannot be read
     */
    Header validate(CsvFolderConfig config) throws IOException, Unreadable {
        Header header = header(config);
        try (Rows rows = rows(header.endOffset(), header.row())) {
            while (rows.parser().next() != null) {
                // decoding every field is the check
            }
        } catch (CsvParser.UndecodableException e) {
            throw undecodable(e);
        }
        return header;
    }

    /** Rows from {@code offset}, a record boundary after {@code rowsBefore} records. Close it after use. */
    Rows rows(long offset, int rowsBefore) throws IOException {
        InputStream raw = Files.newInputStream(path);
        try {
            raw.skipNBytes(offset);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
        InputStream in = new BufferedInputStream(raw, 64 * 1024);
        return new Rows(in, new CsvParser(in, offset, rowsBefore, charset));
    }

    private static Header header(CsvParser.Record record, CsvFolderConfig config) throws Unreadable {
        if (record.problem() != null) {
            throw new Unreadable("the header row (row " + record.row() + ") is not valid CSV: " + record.problem());
        }
        try {
            return new Header(CsvHeader.resolve(record.cells(), config), record.row(), record.endOffset());
        } catch (IllegalArgumentException e) {
            throw new Unreadable(e.getMessage());
        }
    }

    private Unreadable undecodable(CsvParser.UndecodableException e) {
        String hint = StandardCharsets.UTF_8.equals(charset)
                ? "; if the export is GBK, set encoding: GBK"
                : "; check the encoding setting (a file starting with a UTF-8 byte order mark is always read as UTF-8)";
        return new Unreadable("row " + e.row() + " is not valid " + charset.name() + hint);
    }

    /**
     * A file's header row and where the data rows start.
     *
     * @param header    the header and the mapped columns
     * @param row       the header's row number
     * @param endOffset the byte offset just after the header row
     */
    record Header(CsvHeader header, int row, long endOffset) {
    }

    /** Open rows of a file. */
    record Rows(InputStream in, CsvParser parser) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The file as a whole cannot be read; the message says why, for {@code <file>.error.txt}. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason);
        }
    }
}
