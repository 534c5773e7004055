package io.omnihub.connector.errors;

/**
 * Base of the SDK's typed errors. Throw a subclass: the subclass tells the hub what to do.
 * Messages are shown to operators and kept with dead letters; never put a secret in one.
 */
public abstract class ConnectorException extends RuntimeException {

    protected ConnectorException(String message) {
        super(message);
    }

    protected ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
