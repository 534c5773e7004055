package io.omnihub.connector.errors;

import java.time.Duration;
import java.util.Objects;

/**
 * The channel refused the call because a quota was reached. The hub waits {@link #retryAfter()}
 * before trying again and counts it against the instance's rate limiter.
 */
public class RateLimitedException extends ConnectorException {

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** How long to wait before the next call, as the channel said or as its quota implies. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
