package io.omnihub.connectors.tmall;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * TOP's wall-clock times: {@code yyyy-MM-dd HH:mm:ss} in GMT+8 (Beijing time, which has no daylight
 * saving), both in the {@code timestamp} parameter and in every time field of a trade or message.
 */
public final class TopTime {

    /** Beijing time as TOP states it: a fixed GMT+8. */
    public static final ZoneOffset GMT_8 = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private TopTime() {
    }

    /** {@code instant} as TOP writes it, to the second. */
    public static String format(Instant instant) {
        return FORMAT.format(LocalDateTime.ofInstant(instant, GMT_8));
    }

    /** A TOP time field; empty when blank or not in TOP's format. */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(text.trim(), FORMAT).toInstant(GMT_8));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
