package io.omnihub.connector.errors;

/**
 * The configuration cannot work (missing key, wrong credentials the channel rejected for good). The hub marks the instance FAILED with this message and does not retry until the configuration changes.
 */
public class ConfigException extends ConnectorException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
