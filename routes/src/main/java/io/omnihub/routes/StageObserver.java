package io.omnihub.routes;

import java.time.Duration;

/**
 * Told what each stage did with each message, so the runtime can keep metrics per connector
 * instance and stage and show them on the operators' board. Called on the stage's own thread for
 * every message: implementations must be quick and must not throw.
 */
public interface StageObserver {

    /** Observes nothing. */
    StageObserver NONE = new StageObserver() {
        @Override
        public void handled(String stage, String connector, String instance, Outcome outcome, Duration took, String error) {
        }
    };

    /** What became of one message in one stage. */
    enum Outcome {
        /** Done; whatever it produced is on the next queue. */
        OK,
        /** Failed for a passing reason and was sent back with a durable backoff. */
        RETRIED,
        /** Held back unchanged because its instance is paused or the hub's database or broker is down; no attempt counted. */
        HELD,
        /** Parked on {@code hub.dlq}. */
        DEAD_LETTERED,
        /** Refused without keeping anything (a forged webhook signature). */
        REFUSED
    }

    /**
     * One message handled.
     *
     * @param stage     the stage, e.g. {@code normalize}
     * @param connector the message's connector id, or null when it names none
     * @param instance  the message's instance id, or null when it names none
     * @param outcome   what became of it
     * @param took      how long the stage spent on it
     * @param error     why it failed (class and message), or null when it did not
     */
    void handled(String stage, String connector, String instance, Outcome outcome, Duration took, String error);

    /**
     * An event reached the CRM core.
     *
     * @param connector     the connector id
     * @param instance      the instance id
     * @param sinceReceived from the hub receiving the channel's record to the core applying its event
     */
    default void applied(String connector, String instance, Duration sinceReceived) {
    }

    /**
     * The core left out an event because it carries an identifier of an erased customer.
     *
     * @param connector the connector id
     * @param instance  the instance id
     */
    default void suppressed(String connector, String instance) {
    }
}
