package io.omnihub.connectors.douyin;

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
 * The Douyin connector: Douyin Open Platform apps (抖音开放平台, kind {@code open}) and 抖店 shops
 * (kind {@code shop}), one instance per app or shop. Both only receive pushes; neither polls nor
 * sends actions. Stateless; everything per account lives in the instances it opens.
 */
@Extension
public class DouyinConnector implements ChannelConnector {

    public static final String ID = "douyin";

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "Douyin (Open Platform and 抖店)",
            version(),
            "douyin",
            Set.of(Capability.WEBHOOK),
            resource("config.schema.json"));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        DouyinConfig config = DouyinConfig.from(context.config());
        return switch (config.kind()) {
            case OPEN -> new DouyinOpenInstance(context, config);
            case SHOP -> new DoudianInstance(context, config);
        };
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
        try (InputStream in = DouyinConnector.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the Douyin plugin is missing its resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
