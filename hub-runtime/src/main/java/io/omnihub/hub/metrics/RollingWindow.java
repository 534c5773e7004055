package io.omnihub.hub.metrics;

import java.time.Clock;
import java.time.Duration;

/**
 * Counts of the last minute in twelve 5-second slots, so the board can say "per minute" without
 * keeping every event. Thread-safe; {@code clock} decides what "now" is, so tests control it.
 */
final class RollingWindow {

    static final Duration SPAN = Duration.ofMinutes(1);
    private static final int SLOTS = 12;
    private static final long SLOT_MILLIS = SPAN.toMillis() / SLOTS;

    private final Clock clock;
    private final long[] slotStart = new long[SLOTS];
    private final long[] handled = new long[SLOTS];
    private final long[] failed = new long[SLOTS];
    private final long[] applied = new long[SLOTS];

    RollingWindow(Clock clock) {
        this.clock = clock;
    }

    synchronized void record(boolean failure, boolean appliedEvent) {
        int slot = current();
        handled[slot]++;
        if (failure) {
            failed[slot]++;
        }
        if (appliedEvent) {
            applied[slot]++;
        }
    }

    /** Messages handled by any stage, failures among them, and events applied, over the last minute. */
    synchronized Totals lastMinute() {
        long now = clock.millis();
        long oldest = now - SPAN.toMillis();
        long h = 0;
        long f = 0;
        long a = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (slotStart[i] > oldest) {
                h += handled[i];
                f += failed[i];
                a += applied[i];
            }
        }
        return new Totals(h, f, a);
    }

    private int current() {
        long now = clock.millis();
        long start = now - Math.floorMod(now, SLOT_MILLIS);
        int slot = (int) Math.floorMod(start / SLOT_MILLIS, (long) SLOTS);
        if (slotStart[slot] != start) {
            slotStart[slot] = start;
            handled[slot] = 0;
            failed[slot] = 0;
            applied[slot] = 0;
        }
        return slot;
    }

    /**
     * @param handled messages any stage handled
     * @param failed  those that failed (retried, parked or refused)
     * @param applied events the CRM core applied
     */
    record Totals(long handled, long failed, long applied) {
    }
}
