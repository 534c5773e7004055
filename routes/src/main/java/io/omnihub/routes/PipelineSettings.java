package io.omnihub.routes;

/**
 * How the pipeline's stages consume: parallel consumers and batch sizes per stage.
 *
 * @param normalizeConsumers consumers of {@code hub.raw}
 * @param normalizeBatchSize raw records per transaction
 * @param coreConsumers      consumers of {@code hub.events}
 * @param coreBatchSize      events per database transaction
 * @param enrichConsumers    consumers of {@code hub.enrich}
 */
public record PipelineSettings(
        int normalizeConsumers,
        int normalizeBatchSize,
        int coreConsumers,
        int coreBatchSize,
        int enrichConsumers) {
}
