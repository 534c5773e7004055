package io.omnihub.hub.metrics;

import java.util.Map;

/** How many messages wait on the broker's queues: the consumer lag the alerts watch. */
public interface QueueDepths {

    /**
     * @param ready     messages ready for a consumer
     * @param scheduled messages waiting out a retry backoff (scheduled delivery)
     */
    record Depth(long ready, long scheduled) {
    }

    /**
     * Reads the depth of each queue now.
     *
     * @return by queue name; a queue the broker does not know, or could not be asked about, is missing
     */
    Map<String, Depth> read(Iterable<String> queues);
}
