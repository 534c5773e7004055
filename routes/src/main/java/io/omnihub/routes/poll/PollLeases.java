package io.omnihub.routes.poll;

import java.util.Optional;

/**
 * Cluster-wide leases on polling an instance, with its committed checkpoint. Only one hub node at a
 * time holds an instance's lease, so a channel is polled once across the cluster however many nodes
 * run.
 */
public interface PollLeases {

    /** The lease, or empty when another node holds it now. */
    Optional<PollLease> tryAcquire(String connectorId, String instanceId);

    /** One node's hold on polling one instance; closing it without a commit changes nothing. */
    interface PollLease extends AutoCloseable {

        /** The last committed checkpoint; empty before the first commit. */
        Optional<String> checkpoint();

        /** Records {@code checkpoint} as committed. Call only once the batch it ends is durable. */
        void commit(String checkpoint);

        /** Releases the lease. */
        @Override
        void close();
    }
}
