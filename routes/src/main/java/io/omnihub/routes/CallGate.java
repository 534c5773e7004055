package io.omnihub.routes;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls in progress through something that is going to be closed, so that closing can
 * refuse new calls and wait for those already in progress before it releases what they use.
 *
 * <p>No lock: every webhook passes a gate, so entering and leaving are one compare-and-set and one
 * decrement of a single counter.
 */
public final class CallGate {

    /** The flag in {@link #calls} that refuses new calls. */
    private static final int CLOSING = 1 << 30;

    /** The calls in progress, plus {@link #CLOSING} once closing has begun. */
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * Counts a call in, unless closing has begun; a caller that gets {@code true} must call
     * {@link #leave()} when its call ends.
     */
    public boolean enter() {
        for (int now = calls.get(); (now & CLOSING) == 0; now = calls.get()) {
            if (calls.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Counts a call out. */
    public void leave() {
        calls.decrementAndGet();
    }

    /** Refuses new calls from now on; the calls in progress go on. */
    public void shut() {
        calls.getAndUpdate(now -> now | CLOSING);
    }

    /** Whether new calls are refused. */
    public boolean isShut() {
        return (calls.get() & CLOSING) != 0;
    }

    /**
     * Waits until the calls in progress have ended or {@code bound} has passed; with the gate
     * {@link #shut()}, no new ones begin meanwhile.
     *
     * @return how many calls are still in progress: 0 unless the bound was reached
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public int await(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int left;
        while ((left = inProgress()) > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(2);
        }
        return left;
    }

    /**
     * {@link #shut()}, then {@link #await(Duration)}.
     *
     * @return how many calls are still in progress: 0 unless the bound was reached
     * @throws InterruptedException when the waiting thread is interrupted; new calls stay refused
     */
    public int close(Duration bound) throws InterruptedException {
        shut();
        return await(bound);
    }

    /** Lets calls in again after {@link #close}, for what is started again. */
    public void reopen() {
        calls.getAndUpdate(now -> now & ~CLOSING);
    }

    /** The calls in progress now. */
    public int inProgress() {
        return calls.get() & ~CLOSING;
    }
}
