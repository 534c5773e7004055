package io.omnihub.hub.http;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@link ChannelHttpClient} a connector instance receives: the JDK HTTP client decorated with
 * that instance's own Resilience4j circuit breaker, retry, rate limiter and bulkhead, all named
 * {@code <connector>/<instance>} in their registries and tagged {@code connector} and {@code instance}
 * in the metrics.
 *
 * <p>Order of decoration (outermost first): retry, circuit breaker, rate limiter, bulkhead. The circuit
 * breaker sees each attempt, so a channel answering 500 opens it even while the retry hides single
 * failures; the retry never repeats a call the breaker, limiter or bulkhead refused.
 *
 * <p>Every HTTP answer is returned, 4xx and 5xx included; a {@link TransientException} is thrown only
 * when there was no answer: transport failure, timeout, open circuit, rate limit or bulkhead full.
 */
public final class ResilientChannelHttpClient implements ChannelHttpClient {

    // The JDK client refuses to let callers set these; it manages them itself.
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final String name;
    private final HttpClient http;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;
    private final RateLimiter rateLimiter;
    private final Bulkhead bulkhead;

    /**
     * Creates the client of one instance, registering (or reusing, after a plugin reload) its
     * resilience state in the shared registries.
     */
    public ResilientChannelHttpClient(String connectorId, String instanceId, HttpClient http,
                                      ResilienceRegistries registries, ResilienceSettings settings) {
        this.name = connectorId + "/" + instanceId;
        this.http = http;
        Map<String, String> tags = Map.of("connector", connectorId, "instance", instanceId);
        this.circuitBreaker = registries.circuitBreakers().circuitBreaker(name, circuitBreakerConfig(settings.getCircuitBreaker()), tags);
        this.retry = registries.retries().retry(name, retryConfig(settings.getRetry()), tags);
        this.rateLimiter = registries.rateLimiters().rateLimiter(name, rateLimiterConfig(settings.getRateLimiter()), tags);
        this.bulkhead = registries.bulkheads().bulkhead(name, bulkheadConfig(settings.getBulkhead()), tags);
    }

    /** The name of this instance's resilience state: {@code <connector>/<instance>}. */
    public String name() {
        return name;
    }

    /** This instance's circuit breaker, e.g. to show its state to operators. */
    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    @Override
    public HttpResponse send(HttpRequest request) {
        try {
            return retry.executeSupplier(() -> attempt(request));
        } catch (RetryableAnswer lastAnswer) {
            return lastAnswer.response;
        } catch (TransportFailure failure) {
            throw new TransientException(name + ": " + request.method() + " " + withoutQuery(request.uri())
                    + " got no answer: " + describe(failure.getCause()), failure.getCause());
        } catch (CallNotPermittedException open) {
            throw new TransientException("circuit breaker open for " + name);
        } catch (RequestNotPermitted limited) {
            throw new TransientException("rate limit of " + name + " reached: no call permitted within "
                    + rateLimiter.getRateLimiterConfig().getTimeoutDuration().toMillis() + " ms");
        } catch (BulkheadFullException full) {
            throw new TransientException("too many concurrent calls for " + name + ": bulkhead full");
        }
    }

    private HttpResponse attempt(HttpRequest request) {
        HttpResponse response = circuitBreaker.executeSupplier(
                RateLimiter.decorateSupplier(rateLimiter, Bulkhead.decorateSupplier(bulkhead, () -> exchange(request))));
        if (response.status() >= 500 && request.idempotent()) {
            // Repeating an idempotent request cannot change anything at the channel; a POST that got
            // a 5xx may have been applied, so it goes back to the connector as it is.
            throw new RetryableAnswer(response);
        }
        return response;
    }

    private HttpResponse exchange(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout())
                .method(request.method().toUpperCase(Locale.ROOT), request.body().length == 0
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((header, values) -> {
            if (!RESTRICTED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(header, value));
            }
        });
        try {
            java.net.http.HttpResponse<byte[]> response = http.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            return new HttpResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            // A request that never left (connection refused, connect timeout) is safe to repeat; one
            // that may have reached the channel is repeated only when it is idempotent.
            boolean neverSent = e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
            throw new TransportFailure(e, neverSent || request.idempotent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(name + ": interrupted while waiting for " + withoutQuery(request.uri()), e);
        }
    }

    // Channels put credentials in the query (WeChat's access_token): never show it.
    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    private static CircuitBreakerConfig circuitBreakerConfig(ResilienceSettings.CircuitBreaker settings) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.getSlidingWindowSize())
                .minimumNumberOfCalls(settings.getMinimumNumberOfCalls())
                .failureRateThreshold(settings.getFailureRateThreshold())
                .waitDurationInOpenState(settings.getWaitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.getPermittedCallsInHalfOpenState())
                .recordResult(result -> result instanceof HttpResponse response
                        && (response.status() >= 500 || response.status() == 429))
                // Our own throttling says nothing about the channel's health.
                .ignoreExceptions(RequestNotPermitted.class, BulkheadFullException.class)
                .build();
    }

    private static RetryConfig retryConfig(ResilienceSettings.Retry settings) {
        return RetryConfig.custom()
                .maxAttempts(Math.max(1, settings.getMaxAttempts()))
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.getInitialBackoff(),
                        settings.getMultiplier(), settings.getRandomization(), settings.getMaxBackoff()))
                .retryOnException(e -> e instanceof RetryableAnswer
                        || e instanceof TransportFailure failure && failure.retryable)
                .build();
    }

    private static RateLimiterConfig rateLimiterConfig(ResilienceSettings.RateLimiter settings) {
        return RateLimiterConfig.custom()
                .limitForPeriod(settings.getCallsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(settings.getMaxWait())
                .build();
    }

    private static BulkheadConfig bulkheadConfig(ResilienceSettings.Bulkhead settings) {
        return BulkheadConfig.custom()
                .maxConcurrentCalls(settings.getMaxConcurrentCalls())
                .maxWaitDuration(settings.getMaxWait())
                .build();
    }

    /** An idempotent request's 5xx answer, thrown so the retry repeats it and caught to return the last one. */
    private static final class RetryableAnswer extends RuntimeException {
        private final transient HttpResponse response;

        RetryableAnswer(HttpResponse response) {
            super("HTTP " + response.status(), null, false, false);
            this.response = response;
        }
    }

    /** No answer from the channel. */
    private static final class TransportFailure extends RuntimeException {
        private final boolean retryable;

        TransportFailure(IOException cause, boolean retryable) {
            super(cause.getMessage(), cause, false, false);
            this.retryable = retryable;
        }
    }

    @Override
    public String toString() {
        return "ResilientChannelHttpClient[" + name + ", circuit " + circuitBreaker.getState() + "]";
    }
}
