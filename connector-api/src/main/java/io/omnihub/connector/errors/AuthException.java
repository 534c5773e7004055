package io.omnihub.connector.errors;

/**
 * The channel rejected a token that may be refreshed (expired, superseded). The hub retries once after the connector invalidated its cached token.
 */
public class AuthException extends ConnectorException {

    public AuthException(String message) {
        super(message);
    }

    public AuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
