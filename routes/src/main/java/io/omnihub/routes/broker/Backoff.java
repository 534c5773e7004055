package io.omnihub.routes.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable retry with exponential backoff and jitter: a message that failed for a passing reason is
 * sent back to its queue with a scheduled delivery time, so no thread waits and a restart loses
 * nothing. After {@code maxAttempts} the caller parks it on the dead-letter queue instead.
 *
 * @param initial     delay before the second attempt
 * @param max         the longest delay
 * @param maxAttempts attempts before giving up
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {

    /** 2 s doubling to 10 min, 12 attempts: about an hour before a message is parked. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 12);
    }

    /** Whether another attempt is allowed after {@code attemptsSoFar} failed ones. */
    public boolean allowsRetry(int attemptsSoFar) {
        return attemptsSoFar < maxAttempts;
    }

    /** The delay after {@code attemptsSoFar} failures, with ±20% jitter. */
    public Duration delayAfter(int attemptsSoFar, Duration atLeast) {
        long base = initial.toMillis() << Math.min(20, Math.max(0, attemptsSoFar - 1));
        long capped = Math.min(base, max.toMillis());
        long jittered = (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        return Duration.ofMillis(Math.max(jittered, atLeast == null ? 0 : atLeast.toMillis()));
    }

    /**
     * {@code message} scheduled to be looked at again after {@code delay} without counting an
     * attempt: its instance is paused, which is no failure, so it must never reach the DLQ for it.
     */
    public BrokerMessage hold(BrokerMessage message, Clock clock, Duration delay) {
        return message.withQueue(message.queue(), Map.of(Headers.SCHEDULED_DELIVERY, clock.millis() + delay.toMillis()));
    }

    /** {@code message} scheduled for another attempt. */
    public BrokerMessage retry(BrokerMessage message, Clock clock, String reason, Duration atLeast) {
        int attempts = message.intProperty(Headers.ATTEMPTS, 0) + 1;
        return message.withQueue(message.queue(), Map.of(
                Headers.ATTEMPTS, attempts,
                Headers.FIRST_FAILURE_AT, message.longProperty(Headers.FIRST_FAILURE_AT, clock.millis()),
                Headers.ERROR_MESSAGE, reason == null ? "" : reason,
                Headers.SCHEDULED_DELIVERY, clock.millis() + delayAfter(attempts, atLeast).toMillis()));
    }
}
