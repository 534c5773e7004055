package io.omnihub.connectors.tmall;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The Tmall/Taobao connector: one instance per shop, reading trades and refunds through the TOP
 * gateway (TMC pull mode and the incremental trade sync). Stateless; everything per shop lives in
 * the instances it opens.
 */
@Extension
public class TmallConnector implements ChannelConnector {

    public static final String ID = "tmall";

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "Tmall / Taobao (TOP)",
            version(),
            "tmall",
            Set.of(Capability.POLL),
            resource("config.schema.json"));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new TmallInstance(context, TmallConfig.from(context.config()));
    }

    private static String version() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(resource("connector.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = TmallConnector.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the Tmall plugin is missing its resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
