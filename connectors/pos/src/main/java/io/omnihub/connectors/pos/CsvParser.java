package io.omnihub.connectors.pos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV (RFC 4180) records from bytes: comma-separated fields, fields in double quotes may hold
 * commas, quotes (doubled) and line breaks, records end with CRLF, LF or CR.
 *
 * <p>It splits at the byte level and decodes each field on its own. That is exact for every
 * ASCII-compatible encoding ({@link CsvFolderConfig} accepts no other): in UTF-8, GBK and GB18030 a
 * comma, quote, CR or LF byte is never part of a multi-byte character. It is what lets a poll
 * resume at a byte offset, so a large file is read once, not once per batch.
 *
 * <p>A record that breaks the format still comes back, with {@link Record#problem()} saying how,
 * so that one bad row costs only that row. Bytes that do not decode in the charset throw
 * {@link UndecodableException}: a file in the wrong encoding is wrong as a whole.
 */
final class CsvParser {

    /** Longer records are cut short and reported: most likely a quote that was never closed. */
    static final int MAX_RECORD_BYTES = 1 << 20;

    private final InputStream in;
    private final Charset charset;
    private long offset;
    private int row;
    private int peeked = -2;

    /**
     * @param in         the bytes from {@code offset} on; buffered by the caller
     * @param offset     the byte offset of {@code in}'s first byte in the file, a record boundary
     * @param rowsBefore how many records precede that offset, so rows keep their numbers
     */
    CsvParser(InputStream in, long offset, int rowsBefore, Charset charset) {
        this.in = in;
        this.offset = offset;
        this.row = rowsBefore;
        this.charset = charset;
    }

    /** Bytes consumed so far, counted from the start of the file. */
    long offset() {
        return offset;
    }

    /** Records read so far, counted from the start of the file. */
    int row() {
        return row;
    }

    /**
     * The next record, or {@code null} at the end of the input. An empty line is a record too
     * ({@link Record#isBlank()}), so that row numbers match what a spreadsheet shows.
     *
     * @throws UndecodableException when a field's bytes are not valid in the charset
     */
    Record next() throws IOException {
        int b = read();
        if (b < 0) {
            return null;
        }
        long start = offset - 1;
        int number = ++row;
        List<String> cells = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        boolean quoted = false;
        boolean inQuotes = false;
        boolean closed = false;
        String problem = null;
        long size = 0;
        while (true) {
            if (b < 0) {
                if (inQuotes) {
                    problem = first(problem, "a quoted field is not closed before the end of the file");
                }
                cells.add(decode(field, number));
                break;
            }
            if (inQuotes) {
                if (b == '"') {
                    if (peek() == '"') {
                        read();
                        size = append(field, '"', size);
                    } else {
                        inQuotes = false;
                        closed = true;
                    }
                } else {
                    size = append(field, b, size);
                }
            } else if (b == ',') {
                cells.add(decode(field, number));
                field.reset();
                quoted = false;
                closed = false;
            } else if (b == '\n') {
                cells.add(decode(field, number));
                break;
            } else if (b == '\r') {
                if (peek() == '\n') {
                    read();
                }
                cells.add(decode(field, number));
                break;
            } else if (b == '"' && field.size() == 0 && !quoted) {
                quoted = true;
                inQuotes = true;
            } else {
                if (closed) {
                    problem = first(problem, "text after the closing quote of field " + (cells.size() + 1));
                }
                // A quote inside an unquoted field (12" pizza) is taken as it stands.
                size = append(field, b, size);
            }
            if (size > MAX_RECORD_BYTES) {
                problem = first(problem, "the row is longer than " + (MAX_RECORD_BYTES >> 20)
                        + " MiB, most likely a quote that is never closed");
            }
            b = read();
        }
        return new Record(number, start, offset, cells, problem);
    }

    private static String first(String existing, String problem) {
        return existing != null ? existing : problem;
    }

    private static long append(ByteArrayOutputStream field, int b, long size) {
        if (size < MAX_RECORD_BYTES) {
            field.write(b);
        }
        return size + 1;
    }

    private String decode(ByteArrayOutputStream field, int number) throws UndecodableException {
        if (field.size() == 0) {
            return "";
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(field.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UndecodableException(number, charset);
        }
    }

    private int read() throws IOException {
        int b;
        if (peeked != -2) {
            b = peeked;
            peeked = -2;
        } else {
            b = in.read();
        }
        if (b >= 0) {
            offset++;
        }
        return b;
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    /**
     * One CSV record.
     *
     * @param row         its number in the file, the header being row 1 (as a spreadsheet counts)
     * @param startOffset the byte offset of its first byte
     * @param endOffset   the byte offset just after it, line end included: where the next one starts
     * @param cells       its fields, decoded
     * @param problem     how it breaks the CSV format, or {@code null}
     */
    record Record(int row, long startOffset, long endOffset, List<String> cells, String problem) {

        Record {
            cells = List.copyOf(cells);
        }

        /** An empty line. */
        boolean isBlank() {
            return problem == null && cells.size() == 1 && cells.get(0).isBlank();
        }
    }

    /** A field's bytes are not valid in the file's encoding. */
    static final class UndecodableException extends IOException {

        private final int row;

        UndecodableException(int row, Charset charset) {
            super("row " + row + " is not valid " + charset.name());
            this.row = row;
        }

        /** The row the bytes are in. */
        int row() {
            return row;
        }
    }
}
