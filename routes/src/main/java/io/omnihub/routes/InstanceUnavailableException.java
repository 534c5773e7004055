package io.omnihub.routes;

/**
 * A connector instance is not running now, or is closing: a call into it was refused before it
 * reached the connector. Worth retrying later; stages send the record back, the webhook ingress
 * answers 503.
 */
public class InstanceUnavailableException extends RuntimeException {
    public InstanceUnavailableException(String connectorId, String instanceId) {
        this(connectorId, instanceId, "is not running");
    }

    /** Not running for another reason, e.g. {@code why} = "is closing". */
    public InstanceUnavailableException(String connectorId, String instanceId, String why) {
        super("connector instance " + connectorId + "/" + instanceId + " " + why);
    }
}
