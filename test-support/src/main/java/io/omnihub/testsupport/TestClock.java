package io.omnihub.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The clock tests move by hand, so nothing in a test waits for time to pass. Every reading gives the
 * same instant until the test moves it, unless the clock was made {@link #ticking ticking}: then
 * each reading moves it on by a step (profiles created by later batches are then younger). UTC.
 */
public final class TestClock extends Clock {

    private final AtomicReference<Instant> now;
    private final Duration tick;

    private TestClock(Instant start, Duration tick) {
        this.now = new AtomicReference<>(start);
        this.tick = tick;
    }

    /** A clock at {@code start} that moves only when told to. */
    public static TestClock at(Instant start) {
        return new TestClock(start, Duration.ZERO);
    }

    /** A clock at {@code start} that moves on by {@code step} after every reading. */
    public static TestClock ticking(Instant start, Duration step) {
        return new TestClock(start, step);
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now.set(instant);
    }

    /**
     * Moves the clock forward to {@code instant}.
     *
     * @throws IllegalArgumentException when {@code instant} is before the clock's time
     */
    public void moveTo(Instant instant) {
        now.updateAndGet(t -> {
            if (instant.isBefore(t)) {
                throw new IllegalArgumentException("time does not go back: " + instant + " is before " + t);
            }
            return instant;
        });
    }

    /**
     * This clock as a nanosecond ticker, for code that paces itself in elapsed time
     * ({@code System::nanoTime} outside tests): it moves when the clock is moved, and reading it
     * does not move a ticking clock.
     */
    public LongSupplier ticker() {
        return () -> {
            Instant t = now.get();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        };
    }

    @Override
    public Instant instant() {
        return tick.isZero() ? now.get() : now.getAndUpdate(t -> t.plus(tick));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
