package io.omnihub.routes;

/**
 * How the pipeline's stages consume: parallel consumers and batch sizes per stage, and the largest
 * webhook body accepted.
 *
 * @param normalizeConsumers consumers of {@code hub.raw}
 * @param normalizeBatchSize raw records per transaction
 * @param coreConsumers      consumers of {@code hub.events}
 * @param coreBatchSize      events per database transaction
 * @param enrichConsumers    consumers of {@code hub.enrich}
 * @param maxWebhookBodyBytes webhook bodies above this are refused with 413
 */
public record PipelineSettings(
        int normalizeConsumers,
        int normalizeBatchSize,
        int coreConsumers,
        int coreBatchSize,
        int enrichConsumers,
        int maxWebhookBodyBytes) {
}
