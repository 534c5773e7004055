package io.omnihub.routes;

import io.omnihub.routes.stage.EnrichStage;
import org.apache.camel.builder.RouteBuilder;

/** Stage 2b, {@code enrich}: {@code hub.enrich} → identity-link events on {@code hub.events}. */
public final class EnrichRoute extends RouteBuilder {

    public static final String ROUTE_ID = "enrich";

    private final EnrichStage stage;
    private final PipelineSettings settings;

    public EnrichRoute(EnrichStage stage, PipelineSettings settings) {
        this.stage = stage;
        this.settings = settings;
    }

    @Override
    public void configure() {
        from("jms-batch:" + Queues.ENRICH + "?consumers=" + settings.enrichConsumers() + "&batchSize=10")
                .routeId(ROUTE_ID)
                .process(stage);
    }
}
