package io.omnihub.routes.broker;

/**
 * Whether the dead-letter queue can take more. The broker bounds {@code hub.dlq} on disk and refuses
 * dead letters beyond that; the hub asks here first, so that a stage with something to park holds
 * its batch (no attempt counted, nothing lost) and a webhook that would be parked is answered 503,
 * instead of running into the broker's refusal.
 */
@FunctionalInterface
public interface DeadLetterCapacity {

    /** For a broker whose dead-letter queue the hub cannot measure: never full as far as the hub knows. */
    DeadLetterCapacity UNKNOWN = () -> false;

    /** Whether parking one more message now would reach the dead-letter queue's bound. */
    boolean full();
}
