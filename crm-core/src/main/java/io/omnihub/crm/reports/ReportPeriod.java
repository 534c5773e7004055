package io.omnihub.crm.reports;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The period a report covers: from {@code from} (included) to {@code to} (excluded).
 *
 * @param from start, included
 * @param to   end, excluded; after {@code from}
 */
public record ReportPeriod(Instant from, Instant to) {

    /** The longest period a report covers: ten years. */
    public static final Duration LONGEST = Duration.ofDays(3660);

    public ReportPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the period must end after it starts (from " + from + ", to " + to + ")");
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a report covers at most " + LONGEST.toDays() + " days");
        }
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** The period's length in days, exactly (seconds / 86 400). */
    public BigDecimal days() {
        return BigDecimal.valueOf(length().getSeconds()).divide(BigDecimal.valueOf(86_400), Ratios.CONTEXT);
    }
}
