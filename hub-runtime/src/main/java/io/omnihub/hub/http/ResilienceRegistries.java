package io.omnihub.hub.http;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;

/**
 * The four Resilience4j registries holding every connector instance's resilience state, by name
 * {@code <connector>/<instance>}. Each registry is also a bean of its own.
 */
public record ResilienceRegistries(
        CircuitBreakerRegistry circuitBreakers,
        RetryRegistry retries,
        RateLimiterRegistry rateLimiters,
        BulkheadRegistry bulkheads) {

    /** Fresh, empty registries; the hub has one set, tests may make their own. */
    public static ResilienceRegistries create() {
        return new ResilienceRegistries(CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults(),
                RateLimiterRegistry.ofDefaults(), BulkheadRegistry.ofDefaults());
    }
}
