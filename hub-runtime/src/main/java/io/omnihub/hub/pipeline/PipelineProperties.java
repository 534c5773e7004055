package io.omnihub.hub.pipeline;

import io.omnihub.routes.PipelineSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the pipeline stages consume ({@code hub.pipeline.*}). The defaults suit a 2-core node: one
 * consumer per stage with large batches measured about 40% faster end to end than two consumers
 * with small ones (docs/benchmarks.md), because every consumer competes with the ingress for the
 * same cores and every batch costs a broker commit. Raise the consumers on bigger machines.
 */
@ConfigurationProperties(prefix = "hub.pipeline")
public class PipelineProperties {

    /** Parallel consumers of hub.raw (normalize stage). */
    private int normalizeConsumers = 1;
    /** Raw records per broker transaction in the normalize stage. */
    private int normalizeBatchSize = 200;
    /** Parallel consumers of hub.events (CRM core stage). */
    private int coreConsumers = 1;
    /** Events per database transaction in the CRM core stage. */
    private int coreBatchSize = 500;
    /** Parallel consumers of hub.enrich. */
    private int enrichConsumers = 1;
    /** Largest webhook body accepted, in bytes; larger ones are answered 413. */
    private int maxWebhookBodyBytes = 1024 * 1024;
    /** Broker sessions the ingress spreads its asynchronous durable sends over. */
    private int ingressLanes = 4;
    /** Bytes of unconfirmed sends the ingress may have in flight per connection. */
    private int confirmationWindowBytes = 1024 * 1024;
    /**
     * Durable retry of a message whose stage failed for a passing reason (the channel's API is down, the
     * instance is paused): the first retry after {@code retry-initial-delay}, doubling up to
     * {@code retry-max-delay}, parked on the dead-letter queue after {@code retry-max-attempts}
     * attempts. The defaults (2 s, 10 min, 12) give a channel about an hour.
     */
    private java.time.Duration retryInitialDelay = java.time.Duration.ofSeconds(2);
    /** The longest wait between two retries of one message. */
    private java.time.Duration retryMaxDelay = java.time.Duration.ofMinutes(10);
    /** Attempts before a message is parked on the dead-letter queue. */
    private int retryMaxAttempts = 12;

    /** The retry policy of the stages. */
    io.omnihub.routes.broker.Backoff retryBackoff() {
        return new io.omnihub.routes.broker.Backoff(retryInitialDelay, retryMaxDelay, Math.max(1, retryMaxAttempts));
    }

    public java.time.Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(java.time.Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public java.time.Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(java.time.Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public int getRetryMaxAttempts() {
        return retryMaxAttempts;
    }

    public void setRetryMaxAttempts(int retryMaxAttempts) {
        this.retryMaxAttempts = retryMaxAttempts;
    }

    PipelineSettings toSettings() {
        return new PipelineSettings(normalizeConsumers, normalizeBatchSize, coreConsumers, coreBatchSize,
                enrichConsumers, maxWebhookBodyBytes);
    }

    public int getNormalizeConsumers() {
        return normalizeConsumers;
    }

    public void setNormalizeConsumers(int normalizeConsumers) {
        this.normalizeConsumers = normalizeConsumers;
    }

    public int getNormalizeBatchSize() {
        return normalizeBatchSize;
    }

    public void setNormalizeBatchSize(int normalizeBatchSize) {
        this.normalizeBatchSize = normalizeBatchSize;
    }

    public int getCoreConsumers() {
        return coreConsumers;
    }

    public void setCoreConsumers(int coreConsumers) {
        this.coreConsumers = coreConsumers;
    }

    public int getCoreBatchSize() {
        return coreBatchSize;
    }

    public void setCoreBatchSize(int coreBatchSize) {
        this.coreBatchSize = coreBatchSize;
    }

    public int getEnrichConsumers() {
        return enrichConsumers;
    }

    public void setEnrichConsumers(int enrichConsumers) {
        this.enrichConsumers = enrichConsumers;
    }

    public int getMaxWebhookBodyBytes() {
        return maxWebhookBodyBytes;
    }

    public void setMaxWebhookBodyBytes(int maxWebhookBodyBytes) {
        this.maxWebhookBodyBytes = maxWebhookBodyBytes;
    }

    public int getIngressLanes() {
        return ingressLanes;
    }

    public void setIngressLanes(int ingressLanes) {
        this.ingressLanes = ingressLanes;
    }

    public int getConfirmationWindowBytes() {
        return confirmationWindowBytes;
    }

    public void setConfirmationWindowBytes(int confirmationWindowBytes) {
        this.confirmationWindowBytes = confirmationWindowBytes;
    }
}
