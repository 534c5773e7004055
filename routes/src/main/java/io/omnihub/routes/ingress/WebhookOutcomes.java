package io.omnihub.routes.ingress;

import io.micrometer.core.instrument.MeterRegistry;
import io.omnihub.routes.StageObserver;
import java.time.Duration;

/**
 * Counts what became of each webhook request of a known instance: metric
 * {@code hub.webhook.requests{connector, instance, outcome}} and the board's stage {@code ingress}.
 * Requests to unknown instances are not counted: their ids come from whoever sent them.
 */
public final class WebhookOutcomes {

    /** The stage name the board shows the ingress under. */
    public static final String STAGE = "ingress";

    private final MeterRegistry meters;
    private final StageObserver observer;

    public WebhookOutcomes(MeterRegistry meters, StageObserver observer) {
        this.meters = meters;
        this.observer = observer;
    }

    /**
     * @param outcome {@code accepted}, {@code handshake}, {@code bad_signature}, {@code bad_input},
     *                {@code error}, {@code too_large}, {@code unavailable}, {@code broker_unavailable}
     *                or {@code timeout}
     */
    public void count(String connectorId, String instanceId, String outcome) {
        meters.counter("hub.webhook.requests", "connector", connectorId, "instance", instanceId, "outcome", outcome).increment();
        StageObserver.Outcome observed = switch (outcome) {
            case "accepted", "handshake" -> StageObserver.Outcome.OK;
            case "bad_input", "error" -> StageObserver.Outcome.DEAD_LETTERED;
            default -> StageObserver.Outcome.REFUSED;
        };
        observer.handled(STAGE, connectorId, instanceId, observed, Duration.ZERO,
                observed == StageObserver.Outcome.OK ? null : "webhook " + outcome.replace('_', ' '));
    }
}
