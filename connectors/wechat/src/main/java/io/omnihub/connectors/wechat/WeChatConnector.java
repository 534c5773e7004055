package io.omnihub.connectors.wechat;

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
 * The WeChat connector: Official Accounts (公众号) and WeCom (企业微信) apps, one instance per
 * account. Stateless; everything per account lives in the instances it opens.
 */
@Extension
public class WeChatConnector implements ChannelConnector {

    public static final String ID = "wechat";

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "WeChat (Official Account and WeCom)",
            version(),
            "wechat",
            Set.of(Capability.WEBHOOK, Capability.ENRICH, Capability.ACTIONS),
            resource("config.schema.json"));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new WeChatInstance(context, WeChatConfig.from(context.config()));
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
        try (InputStream in = WeChatConnector.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the WeChat plugin is missing its resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
