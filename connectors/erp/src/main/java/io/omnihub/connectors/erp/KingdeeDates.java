package io.omnihub.connectors.erp;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kingdee date-times: local times of the ERP server, without a zone.
 *
 * <p>ExecuteBillQuery answers {@code 2024-05-20T10:15:30.123} (fraction optional); older services
 * answer {@code /Date(1716171330123+0800)/}. Filters take a quoted SQL literal
 * ({@code '2024-05-20 10:15:30.123'}).
 */
final class KingdeeDates {

    /** {@code yyyy-MM-dd[T| ]HH:mm[:ss[.fffffffff]]}. */
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalEnd()
            .toFormatter();

    private static final DateTimeFormatter FILTER_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter FILTER_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern MS_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    private KingdeeDates() {
    }

    /**
     * Parses a Kingdee date-time (a date alone is midnight).
     *
     * @throws IllegalArgumentException when {@code text} is none of Kingdee's forms, or a time outside
     *     years 1 to 9999
     */
    static LocalDateTime parse(String text) {
        String trimmed = text.trim();
        LocalDateTime time;
        try {
            Matcher ms = MS_DATE.matcher(trimmed);
            if (ms.matches()) {
                ZoneOffset offset = ms.group(2) == null ? ZoneOffset.ofHours(8) : ZoneOffset.of(ms.group(2));
                time = LocalDateTime.ofInstant(Instant.ofEpochMilli(Long.parseLong(ms.group(1))), offset);
            } else if (trimmed.length() == 10) {
                time = LocalDate.parse(trimmed).atStartOfDay();
            } else {
                time = LocalDateTime.parse(trimmed, READ);
            }
        } catch (DateTimeException | NumberFormatException e) {
            // Not quoted: the text may be anything a field of the wrong kind held.
            throw new IllegalArgumentException("not a Kingdee date-time", e);
        }
        if (time.getYear() < 1 || time.getYear() > 9999) {
            // An RFC 3339 time, which events carry, has four-digit years.
            throw new IllegalArgumentException("a Kingdee date-time beyond year 9999");
        }
        return time;
    }

    /** The canonical text kept in checkpoints and event ids: ISO, fraction only when present. */
    static String canonical(LocalDateTime time) {
        return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time);
    }

    /** The literal for a FilterString, to milliseconds (SQL Server datetime keeps no more). */
    static String filterLiteral(LocalDateTime time) {
        return time.getNano() == 0 ? FILTER_SECONDS.format(time) : FILTER_MILLIS.format(time);
    }
}
