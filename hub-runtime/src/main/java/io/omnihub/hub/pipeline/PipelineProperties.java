package io.omnihub.hub.pipeline;

import io.omnihub.routes.PipelineSettings;
import io.omnihub.routes.batch.IngressPriority;
import io.omnihub.routes.broker.Backoff;
import java.time.Duration;
import java.util.function.IntSupplier;
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
    /** Broker sessions the ingress spreads its asynchronous durable sends over, each with a sending thread. */
    private int ingressLanes = 4;
    /**
     * Sends one ingress lane holds while the broker is slow to take them; beyond that a webhook is
     * answered 503 at once instead of waiting in line.
     */
    private int ingressMaxPendingSends = 2000;
    /**
     * With the embedded broker, route durable sends of up to 64 KiB straight into it from the
     * request's thread instead of through a client session and a lane (larger ones, dead letters and
     * sends to a queue that pages still take the lanes). False sends everything through the lanes.
     */
    private boolean ingressDirectRoute = true;
    /**
     * How long a durable send (webhook records, polled records, API events, queued actions) waits for
     * the broker's confirmation before it counts as failed; a webhook is then answered 503. Well
     * inside the channels' 5 s deadline, so a broker outage never holds a request or a thread.
     */
    private Duration persistTimeout = Duration.ofSeconds(2);
    /** Bytes of unconfirmed sends the ingress may have in flight per connection. */
    private int confirmationWindowBytes = 1024 * 1024;
    /**
     * The ingress's sends in flight (received, not yet confirmed durable) from which the stages wait
     * before their next batch, leaving the cores to the request threads during a burst; the backlog
     * waits on the broker, durable and in order. 0 lets the stages compete with the ingress.
     */
    private int yieldToIngressAbove = 8;
    /** The longest a stage waits for a busy ingress before it takes a batch anyway, so it never starves. */
    private Duration yieldMaxPause = Duration.ofSeconds(1);
    /** Threads that poll channels; each instance is polled by at most one of them at a time. */
    private int pollThreads = 4;
    /** Delay before a record that failed for a passing reason (channel down, quota) is tried again. */
    private Duration retryInitialDelay = Backoff.defaults().initial();
    /** The longest delay between two attempts; delays double up to it. */
    private Duration retryMaxDelay = Backoff.defaults().max();
    /** Attempts before a record that keeps failing is parked on the dead-letter queue. */
    private int retryMaxAttempts = Backoff.defaults().maxAttempts();

    /** The durable retry schedule of the stages and of polling. */
    public Backoff retryBackoff() {
        return new Backoff(retryInitialDelay, retryMaxDelay, Math.max(1, retryMaxAttempts));
    }

    public int getPollThreads() {
        return pollThreads;
    }

    public void setPollThreads(int pollThreads) {
        this.pollThreads = pollThreads;
    }

    public Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public int getRetryMaxAttempts() {
        return retryMaxAttempts;
    }

    public void setRetryMaxAttempts(int retryMaxAttempts) {
        this.retryMaxAttempts = retryMaxAttempts;
    }

    /** When the stages wait for the ingress, whose sends in flight {@code inFlight} counts. */
    public IngressPriority ingressPriority(IntSupplier inFlight) {
        return new IngressPriority(inFlight, Math.max(0, yieldToIngressAbove), Math.max(0, yieldMaxPause.toMillis()));
    }

    public int getYieldToIngressAbove() {
        return yieldToIngressAbove;
    }

    public void setYieldToIngressAbove(int yieldToIngressAbove) {
        this.yieldToIngressAbove = yieldToIngressAbove;
    }

    public Duration getYieldMaxPause() {
        return yieldMaxPause;
    }

    public void setYieldMaxPause(Duration yieldMaxPause) {
        this.yieldMaxPause = yieldMaxPause;
    }

    PipelineSettings toSettings() {
        return new PipelineSettings(normalizeConsumers, normalizeBatchSize, coreConsumers, coreBatchSize,
                enrichConsumers);
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

    public int getIngressMaxPendingSends() {
        return ingressMaxPendingSends;
    }

    public void setIngressMaxPendingSends(int ingressMaxPendingSends) {
        this.ingressMaxPendingSends = ingressMaxPendingSends;
    }

    public Duration getPersistTimeout() {
        return persistTimeout;
    }

    public void setPersistTimeout(Duration persistTimeout) {
        this.persistTimeout = persistTimeout;
    }

    public boolean isIngressDirectRoute() {
        return ingressDirectRoute;
    }

    public void setIngressDirectRoute(boolean ingressDirectRoute) {
        this.ingressDirectRoute = ingressDirectRoute;
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
