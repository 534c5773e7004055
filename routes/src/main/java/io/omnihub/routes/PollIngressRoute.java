package io.omnihub.routes;

import io.omnihub.routes.poll.PollStage;
import org.apache.camel.builder.RouteBuilder;

/**
 * Stage 1b, {@code poll-ingress}: channels that must be asked → {@code hub.raw}. A timer visits the
 * instances whose poll is due; a cluster-wide lease keeps each channel polled by one node at a time.
 */
public final class PollIngressRoute extends RouteBuilder {

    public static final String ROUTE_ID = "poll-ingress";

    private final PollStage stage;

    public PollIngressRoute(PollStage stage) {
        this.stage = stage;
    }

    @Override
    public void configure() {
        from("timer:poll-ingress?period=1000&delay=1000")
                .routeId(ROUTE_ID)
                .process(stage);
    }
}
