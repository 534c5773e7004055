package io.omnihub.connectors.pos;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings of a {@code csv-folder} instance.
 *
 * @param common     the settings every source has
 * @param folder     where files are dropped; {@code done/} and {@code error/} are made inside it
 * @param charset    the files' encoding unless a file starts with a UTF-8 byte order mark
 * @param columns    for each field, the header names that may hold it (first match wins)
 * @param timeFormat the {@link DateTimeFormatter} pattern of the time column
 * @param settle     how long a file must be left unmodified before it is read
 * @param batchSize  how many data rows one poll returns at most (a ticket's rows are never split)
 */
public record CsvFolderConfig(PosConfig common, Path folder, Charset charset, Map<CsvField, List<String>> columns,
                              String timeFormat, Duration settle, int batchSize) {

    public static final String FOLDER = "folder";
    public static final String ENCODING = "encoding";
    public static final String TIME_FORMAT = "time-format";
    public static final String SETTLE_SECONDS = "settle-seconds";
    public static final String BATCH_SIZE = "batch-size";

    static final String DEFAULT_TIME_FORMAT = "yyyy-MM-dd HH:mm:ss";
    static final int DEFAULT_SETTLE_SECONDS = 10;
    static final int DEFAULT_BATCH_SIZE = 500;
    static final int MAX_BATCH_SIZE = 10_000;

    public CsvFolderConfig {
        columns = Map.copyOf(columns);
    }

    /**
     * Reads and checks a {@code csv-folder} instance's configuration. Does not look at the folder:
     * {@code check()} and the poller do, so an instance opens while a share is not mounted yet.
     *
     * @throws ConfigException naming the key that cannot work
     */
    public static CsvFolderConfig from(InstanceConfig config, PosConfig common) {
        String rawFolder = config.require(FOLDER).trim();
        Path folder;
        try {
            folder = Path.of(rawFolder).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException("'" + FOLDER + "' is not a path: " + rawFolder);
        }
        Charset charset = charset(config.get(ENCODING, "UTF-8").trim());
        Map<CsvField, List<String>> columns = new EnumMap<>(CsvField.class);
        for (CsvField field : CsvField.values()) {
            List<String> names = config.get(field.configKey())
                    .map(v -> Arrays.stream(v.split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                    .orElse(field.defaultHeaders());
            if (names.isEmpty()) {
                throw new ConfigException("'" + field.configKey() + "' names no column");
            }
            columns.put(field, names);
        }
        for (String key : config.asMap().keySet()) {
            // A typo in a mapping key would silently fall back to the default header: refuse it.
            if (key.startsWith(CsvField.KEY_PREFIX)
                    && Arrays.stream(CsvField.values()).noneMatch(f -> f.configKey().equals(key))) {
                throw new ConfigException("unknown column mapping '" + key + "'; known: " + Arrays.stream(CsvField.values())
                        .map(CsvField::configKey).collect(Collectors.joining(", ")));
            }
        }
        String timeFormat = config.get(TIME_FORMAT, DEFAULT_TIME_FORMAT);
        try {
            DateTimeFormatter.ofPattern(timeFormat);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + TIME_FORMAT + "' is not a date-time pattern: " + e.getMessage());
        }
        int settleSeconds = config.integer(SETTLE_SECONDS, DEFAULT_SETTLE_SECONDS, 0, Integer.MAX_VALUE);
        int batchSize = config.integer(BATCH_SIZE, DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE);
        return new CsvFolderConfig(common, folder, charset, columns, timeFormat, Duration.ofSeconds(settleSeconds),
                batchSize);
    }

    /** The compiled {@link #timeFormat()}. */
    public DateTimeFormatter timeFormatter() {
        return DateTimeFormatter.ofPattern(timeFormat);
    }

    /** The folder finished files are moved to. */
    public Path doneFolder() {
        return folder.resolve("done");
    }

    /** The folder unreadable files are moved to, each with a {@code .error.txt}. */
    public Path errorFolder() {
        return folder.resolve("error");
    }

    private static Charset charset(String name) {
        Charset charset;
        try {
            charset = Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ConfigException("'" + ENCODING + "' names no encoding this JVM knows: " + name);
        }
        // The parser finds commas, quotes and line ends as single bytes, which is only right for
        // encodings that keep ASCII as is (UTF-8, GBK, GB18030, Big5); UTF-16 does not.
        String structural = ",\"\r\n";
        if (!Arrays.equals(structural.getBytes(charset), structural.getBytes(StandardCharsets.US_ASCII))) {
            throw new ConfigException("'" + ENCODING + "' must be an ASCII-compatible encoding such as UTF-8, GBK "
                    + "or GB18030, not " + name);
        }
        return charset;
    }
}
