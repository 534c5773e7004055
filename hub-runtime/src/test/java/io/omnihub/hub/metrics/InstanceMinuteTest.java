package io.omnihub.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The board's cluster-wide minute: counts add up across nodes, the p95 comes from the merged buckets. */
class InstanceMinuteTest {

    @Test
    void twoNodesMinutesAddUpToOneFigure() {
        InstanceMinute a = minute(90, 20.0);
        InstanceMinute b = minute(10, 900.0);

        InstanceMinute cluster = a.plus(b);

        assertThat(cluster.applied()).isEqualTo(100);
        assertThat(cluster.handled()).isEqualTo(100);
        // 90 fast events and 10 slow ones: the 95th percentile is among the slow ones, within a bucket.
        assertThat(cluster.p95LatencyMillis()).isBetween(900.0 / 1.25, 900.0 * 1.25);
        assertThat(a.p95LatencyMillis()).isCloseTo(20.0, within(20.0 * 0.25));
    }

    @Test
    void aMinuteWithoutAppliedEventsHasNoLatency() {
        assertThat(InstanceMinute.none().p95LatencyMillis()).isNull();
        assertThat(InstanceMinute.none().errorRate()).isZero();
    }

    @Test
    void theErrorRateIsTheShareOfHandledMessagesThatFailed() {
        InstanceMinute minute = new InstanceMinute(40, 10, 30, InstanceMinute.none().latencyBuckets());

        assertThat(minute.errorRate()).isEqualTo(0.25);
    }

    private static InstanceMinute minute(int events, double millis) {
        long[] buckets = InstanceMinute.none().latencyBuckets();
        buckets[InstanceMinute.bucketOf(millis)] += events;
        return new InstanceMinute(events, 0, events, buckets);
    }
}
