package io.omnihub.connector.errors;

/**
 * The channel could not be reached or answered with a temporary error. The hub retries with exponential backoff; a record stays durable meanwhile.
 */
public class TransientException extends ConnectorException {

    public TransientException(String message) {
        super(message);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
