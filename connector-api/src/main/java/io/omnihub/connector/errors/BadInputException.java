package io.omnihub.connector.errors;

/**
 * The input can never be processed (malformed body, unknown account, a DTD in XML). The hub answers 400 to a webhook caller and parks the input on the dead-letter queue with this message; it is not retried.
 */
public class BadInputException extends ConnectorException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
