package io.omnihub.routes;

/**
 * The instance is held, by an operator's pause or, for its sends, an open circuit breaker: its records
 * wait, however long that lasts.
 */
public final class InstancePausedException extends InstanceUnavailableException {
    public InstancePausedException(String connectorId, String instanceId) {
        super(connectorId, instanceId, "is paused");
    }

    /** Held for another reason than an operator's pause, e.g. {@code why} = "has an open circuit breaker". */
    public InstancePausedException(String connectorId, String instanceId, String why) {
        super(connectorId, instanceId, why);
    }
}
