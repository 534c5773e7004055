package io.omnihub.hub.logging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Personal data found in log lines, kept in one file ({@code target/log-leaks.txt}, or the system
 * property {@code omnihub.log-leaks}) shared by the test JVM and the hubs it starts as child
 * processes. A leak is a rendered line holding one of the values the tests use
 * ({@code log-scanner/personal-values.txt}), a mainland mobile number or a WeChat-shaped id: what the
 * masking converters should have masked.
 */
public final class LogLeaks {

    private static final Path FILE = Path.of(System.getProperty("omnihub.log-leaks", "target/log-leaks.txt")).toAbsolutePath();
    private static final Pattern MAINLAND_MOBILE = Pattern.compile("(?<![\\w+])(?:\\+?86)?1[3-9]\\d{9}(?!\\d)");
    private static final Pattern WECHAT_ID = Pattern.compile("(?<![A-Za-z0-9_-])o[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])");
    private static final List<String> VALUES = values();
    private static final int MAX_LINE = 400;

    private LogLeaks() {
    }

    /** The personal value {@code line} holds, if any. */
    public static Optional<String> find(String line) {
        for (String value : VALUES) {
            if (line.contains(value)) {
                return Optional.of(value);
            }
        }
        Matcher phone = MAINLAND_MOBILE.matcher(line);
        if (phone.find()) {
            return Optional.of(phone.group());
        }
        Matcher id = WECHAT_ID.matcher(line);
        return id.find() ? Optional.of(id.group()) : Optional.empty();
    }

    /** Records that {@code logger} wrote {@code value} in {@code line}. */
    static void record(String logger, String value, String line) {
        String where = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line;
        String entry = "[" + ProcessHandle.current().pid() + "] " + logger + " leaked " + value + " in: "
                + where.replace('\n', '⏎').replace("\r", "") + System.lineSeparator();
        try {
            Files.createDirectories(FILE.getParent());
            try (FileChannel channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                 FileLock ignored = channel.lock()) {
                channel.write(StandardCharsets.UTF_8.encode(entry));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not record a log leak in " + FILE, e);
        }
    }

    /** Where the leaks recorded so far end: pass it to {@link #since} later. */
    public static long mark() {
        try {
            return Files.exists(FILE) ? Files.size(FILE) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The leaks recorded after {@code mark}, one line each. */
    public static List<String> since(long mark) {
        List<String> leaks = new ArrayList<>();
        if (!Files.exists(FILE)) {
            return leaks;
        }
        try (InputStream in = Files.newInputStream(FILE)) {
            in.skipNBytes(Math.min(mark, Files.size(FILE)));
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().forEach(leaks::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return leaks;
    }

    /** Fails with every leak recorded after {@code mark}. */
    public static void assertNoneSince(long mark, String what) {
        List<String> leaks = since(mark);
        if (!leaks.isEmpty()) {
            throw new AssertionError(what + " logged personal data unmasked (" + leaks.size() + " line(s), see " + FILE + "):\n"
                    + String.join("\n", leaks.subList(0, Math.min(leaks.size(), 20))));
        }
    }

    private static List<String> values() {
        List<String> values = new ArrayList<>();
        try (InputStream in = LogLeaks.class.getResourceAsStream("/log-scanner/personal-values.txt")) {
            if (in == null) {
                throw new IllegalStateException("log-scanner/personal-values.txt is missing from the test class path");
            }
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .forEach(values::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(values);
    }
}
