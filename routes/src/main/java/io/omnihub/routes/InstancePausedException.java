package io.omnihub.routes;

/** An operator paused the instance: its records wait, however long the pause lasts. */
public final class InstancePausedException extends InstanceUnavailableException {
    public InstancePausedException(String connectorId, String instanceId) {
        super(connectorId, instanceId, "is paused");
    }

    /** Held for another reason than an operator's pause, e.g. {@code why} = "has an open circuit breaker". */
    public InstancePausedException(String connectorId, String instanceId, String why) {
        super(connectorId, instanceId, why);
    }
}
