package io.omnihub.hub.http;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.omnihub.hub.HubProperties;
import java.net.http.HttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP client connectors call their channels with, and the registries of each instance's
 * resilience state, published to Micrometer ({@code resilience4j_circuitbreaker_state{name="wechat/brand-oa",
 * connector="wechat",instance="brand-oa"}} and friends).
 */
@Configuration(proxyBeanMethods = false)
public class ChannelHttpConfiguration {

    /** One JDK client for all instances: it pools connections per host. */
    @Bean
    HttpClient channelHttpClient(HubProperties properties) {
        return HttpClient.newBuilder()
                .connectTimeout(properties.getResilience().getConnectTimeout())
                // HTTP/1.1: every channel API speaks it, and no h2c upgrade surprises test servers.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    @Bean
    RetryRegistry retryRegistry() {
        return RetryRegistry.ofDefaults();
    }

    @Bean
    RateLimiterRegistry rateLimiterRegistry() {
        return RateLimiterRegistry.ofDefaults();
    }

    @Bean
    BulkheadRegistry bulkheadRegistry() {
        return BulkheadRegistry.ofDefaults();
    }

    @Bean
    ResilienceRegistries resilienceRegistries(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries,
                                              RateLimiterRegistry rateLimiters, BulkheadRegistry bulkheads) {
        return new ResilienceRegistries(circuitBreakers, retries, rateLimiters, bulkheads);
    }

    @Bean
    TaggedCircuitBreakerMetrics circuitBreakerMetrics(CircuitBreakerRegistry registry) {
        return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry);
    }

    @Bean
    TaggedRetryMetrics retryMetrics(RetryRegistry registry) {
        return TaggedRetryMetrics.ofRetryRegistry(registry);
    }

    @Bean
    TaggedRateLimiterMetrics rateLimiterMetrics(RateLimiterRegistry registry) {
        return TaggedRateLimiterMetrics.ofRateLimiterRegistry(registry);
    }

    @Bean
    TaggedBulkheadMetrics bulkheadMetrics(BulkheadRegistry registry) {
        return TaggedBulkheadMetrics.ofBulkheadRegistry(registry);
    }
}
