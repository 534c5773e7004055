package io.omnihub.connector.http;

/**
 * Sends HTTP requests to the channel on behalf of one instance.
 *
 * <p>The hub's implementation applies the instance's circuit breaker, retry with backoff (for
 * transport failures and 5xx answers of idempotent requests), rate limiter, bulkhead and metrics.
 * It returns every HTTP answer, including 4xx and 5xx, for the connector to interpret; it throws
 * only when no answer could be had.
 */
public interface ChannelHttpClient {

    /**
     * @throws io.omnihub.connector.errors.TransientException when the channel could not be reached,
     *     timed out, or the instance's circuit breaker is open
     */
    HttpResponse send(HttpRequest request);
}
