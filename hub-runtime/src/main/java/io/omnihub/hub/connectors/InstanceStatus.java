package io.omnihub.hub.connectors;

import java.time.Instant;
import java.util.Map;

/**
 * A configured connector instance as operators see it.
 *
 * @param connector      the connector id
 * @param instance       the instance id
 * @param state          RUNNING, PAUSED, FAILED or STOPPED
 * @param error          why it is FAILED or STOPPED, or null; never contains a secret
 * @param since          when it entered its state
 * @param lastCheck      the outcome of its last {@code check()}, or null before the first one finished
 * @param config         its configuration with secret values replaced by {@code ******}
 * @param circuitBreaker the state of its HTTP circuit breaker ({@code CLOSED}, {@code OPEN}, ...), or null before it first opened
 * @param source         {@code properties} when defined by {@code hub.connectors.*} alone, {@code api} when
 *                       created or last changed over the API
 * @param restarts       automatic restarts attempted since it last ran
 * @param nextRestartAt  when the next automatic restart is due, or null when none is scheduled
 * @param warnings       what the connector says an operator should know although the instance works
 *                       (e.g. a WeChat account without safe mode); empty when it is not open
 */
public record InstanceStatus(
        String connector,
        String instance,
        InstanceState state,
        String error,
        Instant since,
        CheckStatus lastCheck,
        Map<String, String> config,
        String circuitBreaker,
        String source,
        int restarts,
        Instant nextRestartAt,
        java.util.List<String> warnings) {

    /**
     * The outcome of one {@code check()}.
     *
     * @param ok      whether the instance can talk to its channel
     * @param message what the connector said
     * @param at      when the check finished
     */
    public record CheckStatus(boolean ok, String message, Instant at) {
    }
}
