package io.omnihub.routes;

import io.omnihub.routes.stage.CoreStage;
import org.apache.camel.builder.RouteBuilder;

/** Stage 3, {@code core-apply}: {@code hub.events} → CRM core, a batch per database transaction. */
public final class CoreApplyRoute extends RouteBuilder {

    public static final String ROUTE_ID = "core-apply";

    private final CoreStage stage;
    private final PipelineSettings settings;

    public CoreApplyRoute(CoreStage stage, PipelineSettings settings) {
        this.stage = stage;
        this.settings = settings;
    }

    @Override
    public void configure() {
        from("jms-batch:" + Queues.EVENTS + "?consumers=" + settings.coreConsumers()
                + "&batchSize=" + settings.coreBatchSize())
                .routeId(ROUTE_ID)
                .process(stage);
    }
}
