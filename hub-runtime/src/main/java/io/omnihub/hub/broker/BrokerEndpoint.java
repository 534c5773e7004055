package io.omnihub.hub.broker;

/**
 * Where the pipeline connects to the broker with a connection factory of its own
 * ({@code new ActiveMQConnectionFactory(url, user, password)}).
 *
 * @param url      {@code vm://<server-id>} for the embedded broker, the configured
 *                 {@code spring.artemis.broker-url} for an external one
 * @param user     user for an external broker, or null
 * @param password password for an external broker, or null
 * @param embedded whether the broker runs inside this hub
 */
public record BrokerEndpoint(String url, String user, String password, boolean embedded) {

    @Override
    public String toString() {
        return "BrokerEndpoint[" + url + (user == null ? "" : ", user " + user) + (embedded ? ", embedded" : "") + "]";
    }
}
