package io.omnihub.routes.ingress;

import io.omnihub.connector.webhook.WebhookReply;
import java.util.function.Consumer;

/**
 * Where {@link WebhookServlet} hands the requests it has read: the consumer of the
 * {@code webhook-ingress} route while that route runs, nobody otherwise. The servlet answers 503
 * while nobody receives (the hub is starting, stopping, or an operator stopped the route), never 404.
 */
public final class WebhookReception {

    private volatile Receiver receiver;

    /** Whether a running route takes requests now. */
    public boolean open() {
        return receiver != null;
    }

    /**
     * Hands {@code call} to the route; {@code reply} is called once with the answer, on whatever
     * thread finishes the request.
     *
     * @return false, without calling {@code reply}, when no route takes requests now
     */
    boolean dispatch(WebhookCall call, Consumer<WebhookReply> reply) {
        Receiver current = receiver;
        if (current == null) {
            return false;
        }
        current.receive(call, reply);
        return true;
    }

    void attach(Receiver route) {
        receiver = route;
    }

    void detach(Receiver route) {
        if (receiver == route) {
            receiver = null;
        }
    }

    /** The route's end of the reception. */
    interface Receiver {
        void receive(WebhookCall call, Consumer<WebhookReply> reply);
    }
}
