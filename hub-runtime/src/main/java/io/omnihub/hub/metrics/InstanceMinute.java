package io.omnihub.hub.metrics;

import java.util.Arrays;

/**
 * One connector instance's last minute on one node, or added up over the nodes of a cluster: what
 * the board shows. Latencies are counted in fixed buckets so the minutes of several nodes add up to
 * one percentile.
 *
 * @param handled        messages any stage handled
 * @param failed         those that failed (retried, parked or refused)
 * @param applied        events the CRM core applied
 * @param latencyBuckets applied events per receipt-to-applied latency bucket ({@link #BUCKET_BOUNDS_MILLIS})
 */
public record InstanceMinute(long handled, long failed, long applied, long[] latencyBuckets) {

    /**
     * Upper bounds of the latency buckets in milliseconds, each 1.25 times the one before, from
     * 1 ms to about 70 s; the last bucket takes everything slower. A percentile read from them is
     * within a quarter of the true value.
     */
    public static final double[] BUCKET_BOUNDS_MILLIS = bounds();

    /** No traffic. */
    public static InstanceMinute none() {
        return new InstanceMinute(0, 0, 0, new long[BUCKET_BOUNDS_MILLIS.length + 1]);
    }

    private static double[] bounds() {
        double[] bounds = new double[51];
        double bound = 1;
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = bound;
            bound *= 1.25;
        }
        return bounds;
    }

    /** The bucket a latency belongs to. */
    static int bucketOf(double millis) {
        int index = Arrays.binarySearch(BUCKET_BOUNDS_MILLIS, millis);
        return index >= 0 ? index : -index - 1;
    }

    /** This minute and another node's added up. */
    public InstanceMinute plus(InstanceMinute other) {
        long[] buckets = latencyBuckets.clone();
        for (int i = 0; i < Math.min(buckets.length, other.latencyBuckets.length); i++) {
            buckets[i] += other.latencyBuckets[i];
        }
        return new InstanceMinute(handled + other.handled, failed + other.failed, applied + other.applied, buckets);
    }

    /** The share of handled messages that failed, 0..1. */
    public double errorRate() {
        return handled == 0 ? 0 : (double) failed / handled;
    }

    /**
     * The 95th percentile of the receipt-to-applied latency, interpolated within its bucket, or null
     * without applied events.
     */
    public Double p95LatencyMillis() {
        long total = Arrays.stream(latencyBuckets).sum();
        if (total == 0) {
            return null;
        }
        double rank = 0.95 * total;
        long below = 0;
        for (int i = 0; i < latencyBuckets.length; i++) {
            long in = latencyBuckets[i];
            if (in > 0 && below + in >= rank) {
                double lower = i == 0 ? 0 : BUCKET_BOUNDS_MILLIS[i - 1];
                double upper = i < BUCKET_BOUNDS_MILLIS.length ? BUCKET_BOUNDS_MILLIS[i] : lower * 1.25;
                return lower + (upper - lower) * ((rank - below) / in);
            }
            below += in;
        }
        return BUCKET_BOUNDS_MILLIS[BUCKET_BOUNDS_MILLIS.length - 1];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InstanceMinute that && handled == that.handled && failed == that.failed
                && applied == that.applied && Arrays.equals(latencyBuckets, that.latencyBuckets);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(handled) * 31 + Arrays.hashCode(latencyBuckets);
    }

    @Override
    public String toString() {
        return "InstanceMinute[handled=" + handled + ", failed=" + failed + ", applied=" + applied + "]";
    }
}
