package ${package};

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The ${channelName} connector: what the hub lists, validates configuration against, and opens
 * instances of. Stateless; everything per account lives in {@link ${className}Instance}.
 */
@Extension
public class ${className}Connector implements ChannelConnector {

    /** The connector id: webhooks arrive at {@code /hooks/${connectorId}/<instance>}. */
    public static final String ID = "${connectorId}";

    /** Configuration of one instance, {@code hub.connectors.${connectorId}.<instance>.*}. */
    static final String CONFIG_SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": "${channelName} instance",
              "type": "object",
              "required": ["base-url", "account-id", "api-key", "signing-secret"],
              "additionalProperties": false,
              "properties": {
                "base-url": { "type": "string", "format": "uri", "description": "${channelName} API base URL" },
                "account-id": { "type": "string", "minLength": 1, "description": "your account at ${channelName}" },
                "api-key": { "type": "string", "minLength": 16, "x-secret": true, "description": "API key for calls to ${channelName}" },
                "signing-secret": { "type": "string", "minLength": 16, "x-secret": true, "description": "the secret ${channelName} signs webhooks with" },
                "poll-interval": { "type": "string", "description": "how long to wait between polls once caught up, e.g. 1m" }
              }
            }
            """;

    private static final String VERSION = loadVersion();

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(ID, "${channelName}", VERSION, ID,
                Set.of(Capability.WEBHOOK, Capability.POLL, Capability.ACTIONS), CONFIG_SCHEMA);
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new ${className}Instance(context);
    }

    /** The plugin version Maven wrote into connector.properties. */
    private static String loadVersion() {
        try (InputStream in = ${className}Connector.class.getResourceAsStream("connector.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("the plugin JAR lacks connector.properties", e));
        }
    }
}
