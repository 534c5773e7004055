package io.omnihub.crm.automation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A windowed trait: a count or a sum over the customer's events of some types within a window (three
 * {@code page.viewed} of running shoes in 7 days, spend in 90 days), read in conditions as
 * {@code customer.traits.<id>}. Kept incrementally: each applied event adds to a counter of its time
 * bucket (an hour for windows up to 7 days, a day beyond), and the value is the sum of the buckets in
 * the window, so no condition ever scans the timeline.
 *
 * @param id          unique among traits; letters, digits and '_' (it is a CEL field name)
 * @param description what it is for
 * @param on          the event types it counts
 * @param where       which events (or order lines) count (scope {@link ExpressionLanguage.Scope#TRAIT}
 *                    or, over lines, {@link ExpressionLanguage.Scope#LINE}); null: all of them
 * @param sum         what an event (or line) adds, a number; null: it adds one (a count)
 * @param overLines   whether {@code where} and {@code sum} apply to each line of the event's order
 *                    ({@code line}) rather than to the event
 * @param window      how far back it looks
 * @param fingerprint changes whenever what it counts changes, so its counters are rebuilt
 * @param location    where it is defined
 */
public record TraitDefinition(String id, String description, Set<String> on, Expression where, Expression sum, boolean overLines,
                              Duration window, String fingerprint, Location location) {

    /** The longest window: counters are kept per day, so this bounds the buckets per customer and trait. */
    public static final Duration MAX_WINDOW = Duration.ofDays(400);
    /** Windows up to this long are kept in hour buckets; longer ones in day buckets. */
    public static final Duration HOURLY_UP_TO = Duration.ofDays(7);

    public boolean listensTo(String eventType) {
        return on.contains(eventType);
    }

    /** The width of one counter: an hour for windows up to 7 days, else a day (UTC). */
    public ChronoUnit bucketUnit() {
        return window.compareTo(HOURLY_UP_TO) <= 0 ? ChronoUnit.HOURS : ChronoUnit.DAYS;
    }

    /** The bucket an event at {@code time} counts in (never a future one: {@code now} caps it). */
    public Instant bucket(Instant time, Instant now) {
        return (time.isAfter(now) ? now : time).truncatedTo(bucketUnit());
    }

    /**
     * The oldest bucket inside the window at {@code now}: events count from {@code now - window},
     * rounded down to the bucket (so an event counts for the window and at most one bucket longer).
     */
    public Instant since(Instant now) {
        return now.minus(window).truncatedTo(bucketUnit());
    }

    /**
     * What {@code event} (its CEL view) adds: 1 (or {@code sum}) when {@code where} holds, per line
     * of its order when {@link #overLines}; 0 when nothing counts. A {@code sum} that fails or is not
     * a number adds nothing.
     */
    @SuppressWarnings("unchecked")
    public long amount(Map<String, Object> event) {
        if (!overLines) {
            return amountOf(Map.of(ExpressionLanguage.EVENT, event));
        }
        if (!(event.get("order") instanceof Map<?, ?> order) || !(order.get("lines") instanceof List<?> lines)) {
            return 0;
        }
        long total = 0;
        for (Object line : lines) {
            total += amountOf(Map.of(ExpressionLanguage.EVENT, event, ExpressionLanguage.LINE, (Map<String, Object>) line));
        }
        return total;
    }

    private long amountOf(Map<String, Object> vars) {
        if (where != null && !where.test(vars)) {
            return 0;
        }
        if (sum == null) {
            return 1;
        }
        try {
            Object v = sum.evaluate(vars);
            if (v instanceof Long l) {
                return l;
            }
            if (v instanceof Number n) {
                return Math.round(n.doubleValue());
            }
            return 0;
        } catch (Expression.EvaluationException e) {
            return 0;
        }
    }
}
