package io.omnihub.hub.http;

import java.time.Duration;

/**
 * How each connector instance's outbound calls are protected (DESIGN §4). Every instance gets its
 * own circuit breaker, retry, rate limiter and bulkhead built from these values, so one failing
 * account never slows another.
 */
public class ResilienceSettings {

    /** Timeout for establishing a TCP/TLS connection to a channel. */
    private Duration connectTimeout = Duration.ofSeconds(5);

    /** When an instance's calls are stopped for a while after too many failures. */
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    /** How calls that got no answer (or a 5xx to an idempotent request) are repeated. */
    private final Retry retry = new Retry();

    /** How many calls per second an instance may make; size it to the channel's quota. */
    private final RateLimiter rateLimiter = new RateLimiter();

    /** How many calls of one instance may be in flight at once. */
    private final Bulkhead bulkhead = new Bulkhead();

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public Retry getRetry() {
        return retry;
    }

    public RateLimiter getRateLimiter() {
        return rateLimiter;
    }

    public Bulkhead getBulkhead() {
        return bulkhead;
    }

    /** Circuit breaker: 5xx, 429 and transport failures count as failures. */
    public static class CircuitBreaker {

        /** Percentage of failed calls in the window that opens the circuit. */
        private float failureRateThreshold = 50;

        /** How many of the most recent calls the failure rate is computed over. */
        private int slidingWindowSize = 20;

        /** Calls needed in the window before the failure rate is judged at all. */
        private int minimumNumberOfCalls = 10;

        /** How long an open circuit refuses calls before letting trial calls through. */
        private Duration waitInOpenState = Duration.ofSeconds(30);

        /** Trial calls let through while half-open; their outcome closes or reopens the circuit. */
        private int permittedCallsInHalfOpenState = 3;

        public float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public int getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public Duration getWaitInOpenState() {
            return waitInOpenState;
        }

        public void setWaitInOpenState(Duration waitInOpenState) {
            this.waitInOpenState = waitInOpenState;
        }

        public int getPermittedCallsInHalfOpenState() {
            return permittedCallsInHalfOpenState;
        }

        public void setPermittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
            this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
        }
    }

    /**
     * Retry: calls that never reached the channel are repeated; calls that may have reached it are
     * repeated only when the request is idempotent. Few attempts with short waits, because many
     * calls happen while a webhook caller waits.
     */
    public static class Retry {

        /** Attempts in all, the first included; 1 disables retrying. */
        private int maxAttempts = 3;

        /** Wait before the second attempt; each further wait is multiplied by {@code multiplier}. */
        private Duration initialBackoff = Duration.ofMillis(200);

        /** Growth of the wait between attempts. */
        private double multiplier = 2.0;

        /** Jitter: each wait is randomised by up to this fraction either way, so instances do not retry in lockstep. */
        private double randomization = 0.5;

        /** The longest wait between two attempts. */
        private Duration maxBackoff = Duration.ofSeconds(2);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public double getRandomization() {
            return randomization;
        }

        public void setRandomization(double randomization) {
            this.randomization = randomization;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }

    /** Rate limiter per instance. */
    public static class RateLimiter {

        /** Calls allowed per second. */
        private int callsPerSecond = 50;

        /** How long a call may wait for permission before it fails as transient. */
        private Duration maxWait = Duration.ofSeconds(2);

        public int getCallsPerSecond() {
            return callsPerSecond;
        }

        public void setCallsPerSecond(int callsPerSecond) {
            this.callsPerSecond = callsPerSecond;
        }

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }
    }

    /** Bulkhead per instance. */
    public static class Bulkhead {

        /** Calls in flight at once. */
        private int maxConcurrentCalls = 20;

        /** How long a call may wait for a free slot before it fails as transient. */
        private Duration maxWait = Duration.ofMillis(500);

        public int getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(int maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }
    }
}
