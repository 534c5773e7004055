package io.omnihub.routes;

/**
 * A connector instance is not running now, or is closing, so the hub does not call it. Worth
 * retrying later: stages send the record back, and the webhook ingress answers a configured
 * instance's channel 503.
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
