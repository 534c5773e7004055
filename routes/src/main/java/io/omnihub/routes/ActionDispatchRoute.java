package io.omnihub.routes;

import io.omnihub.routes.stage.ActionDispatchStage;
import org.apache.camel.builder.RouteBuilder;

/** Stage 5, {@code action-dispatch}: {@code hub.actions} → each connector instance's action sender. */
public final class ActionDispatchRoute extends RouteBuilder {

    public static final String ROUTE_ID = "action-dispatch";

    private final ActionDispatchStage stage;
    private final int consumers;

    public ActionDispatchRoute(ActionDispatchStage stage, int consumers) {
        this.stage = stage;
        this.consumers = consumers;
    }

    @Override
    public void configure() {
        // Small batches: each action is a call to a channel, and one slow call holds its whole batch.
        // It does not yield to a busy ingress as the stages behind it do: its time goes on waiting for
        // the channels, not on the cores the webhooks need, and during a burst a batch of ten a
        // second would hold back the very messages (order confirmations, journeys' steps) the
        // burst's customers are waiting for.
        from("jms-batch:" + Queues.ACTIONS + "?consumers=" + consumers + "&batchSize=10&yieldToIngress=false")
                .routeId(ROUTE_ID)
                .process(stage);
    }
}
