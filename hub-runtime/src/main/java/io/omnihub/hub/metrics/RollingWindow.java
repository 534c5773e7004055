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
    private static final int BUCKETS = InstanceMinute.BUCKET_BOUNDS_MILLIS.length + 1;

    private final Clock clock;
    private final long[] slotStart = new long[SLOTS];
    private final long[] handled = new long[SLOTS];
    private final long[] failed = new long[SLOTS];
    private final long[] applied = new long[SLOTS];
    private final long[][] latency = new long[SLOTS][BUCKETS];

    RollingWindow(Clock clock) {
        this.clock = clock;
    }

    synchronized void record(boolean failure) {
        int slot = current();
        handled[slot]++;
        if (failure) {
            failed[slot]++;
        }
    }

    /** An event the core applied, {@code millis} after the hub received its record. */
    synchronized void applied(double millis) {
        int slot = current();
        handled[slot]++;
        applied[slot]++;
        latency[slot][InstanceMinute.bucketOf(millis)]++;
    }

    /** Messages handled by any stage, failures among them, and events applied with their latencies, over the last minute. */
    synchronized InstanceMinute lastMinute() {
        long now = clock.millis();
        long oldest = now - SPAN.toMillis();
        long h = 0;
        long f = 0;
        long a = 0;
        long[] buckets = new long[BUCKETS];
        for (int i = 0; i < SLOTS; i++) {
            if (slotStart[i] > oldest) {
                h += handled[i];
                f += failed[i];
                a += applied[i];
                for (int b = 0; b < BUCKETS; b++) {
                    buckets[b] += latency[i][b];
                }
            }
        }
        return new InstanceMinute(h, f, a, buckets);
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
            java.util.Arrays.fill(latency[slot], 0);
        }
        return slot;
    }
}
