package io.omnihub.routes.batch;

import java.util.function.IntSupplier;

/**
 * Gives the ingress priority over the stages behind it. On a small node every stage consumer
 * competes with the request threads for the same cores; during a burst the stages can wait, since
 * what the ingress acknowledged is already durable on the broker, but a webhook cannot: the channel
 * gives up after a few seconds. So, before it takes its next batch, a stage waits while the ingress
 * has at least {@code threshold} sends in flight (received, not yet confirmed durable), and takes
 * its batch anyway once it has waited {@code maxPauseMillis}, so a stage never starves however long
 * the ingress stays busy. Order, exactly-once and durability are untouched: a stage only starts its
 * next batch later.
 *
 * @param inFlight       the ingress's sends in flight now
 * @param threshold      sends in flight from which the stages wait; 0 never waits
 * @param maxPauseMillis the longest a stage waits for the ingress before it takes a batch anyway
 */
public record IngressPriority(IntSupplier inFlight, int threshold, long maxPauseMillis) {

    /** Stages never wait for the ingress. */
    public static final IngressPriority NONE = new IngressPriority(() -> 0, 0, 0);

    /** How long a waiting stage sleeps before it looks at the ingress again. */
    static final long STEP_MILLIS = 5;

    /** Whether the ingress is busy enough that a stage should wait before its next batch. */
    public boolean ingressBusy() {
        return threshold > 0 && maxPauseMillis > 0 && inFlight.getAsInt() >= threshold;
    }
}
