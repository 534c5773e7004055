package io.omnihub.connectors.email;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The e-mail connector: sends templated mail over SMTP, one instance per sending account, and honours
 * its one-click unsubscribe links as consent withdrawals. Stateless.
 */
@Extension
public class EmailConnector implements ChannelConnector {

    public static final String ID = "email";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
            EmailConnector.class,
            ID,
            "E-mail (SMTP)",
            "email",
            Set.of(Capability.WEBHOOK, Capability.ACTIONS));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new EmailInstance(context, EmailConfig.from(context.config()));
    }
}
