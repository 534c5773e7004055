package io.omnihub.routes;

import io.omnihub.routes.stage.NormalizeStage;
import org.apache.camel.builder.RouteBuilder;

/** Stage 2, {@code normalize}: {@code hub.raw} → canonical events on {@code hub.events}. */
public final class NormalizeRoute extends RouteBuilder {

    public static final String ROUTE_ID = "normalize";

    private final NormalizeStage stage;
    private final PipelineSettings settings;

    public NormalizeRoute(NormalizeStage stage, PipelineSettings settings) {
        this.stage = stage;
        this.settings = settings;
    }

    @Override
    public void configure() {
        from("jms-batch:" + Queues.RAW + "?consumers=" + settings.normalizeConsumers()
                + "&batchSize=" + settings.normalizeBatchSize())
                .routeId(ROUTE_ID)
                .process(stage);
    }
}
