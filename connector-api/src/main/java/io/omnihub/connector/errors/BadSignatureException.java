package io.omnihub.connector.errors;

/**
 * A webhook request failed signature or timestamp verification. The hub answers 401, counts the attempt, and keeps nothing: a forged request must not fill the queues.
 */
public class BadSignatureException extends ConnectorException {

    public BadSignatureException(String message) {
        super(message);
    }

    public BadSignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
