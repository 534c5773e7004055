package io.omnihub.connectors.sms;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The SMS connector: text messages through Aliyun SMS ({@code kind: aliyun}) or Tencent Cloud SMS
 * ({@code kind: tencent}), one instance per account; delivery receipts and replies come back as
 * callbacks. Stateless; everything per account lives in the instances it opens.
 */
@Extension
public class SmsConnector implements ChannelConnector {

    public static final String ID = "sms";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
            SmsConnector.class,
            ID,
            "SMS (Aliyun, Tencent Cloud)",
            "sms",
            Set.of(Capability.WEBHOOK, Capability.ACTIONS));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** @throws io.omnihub.connector.errors.ConfigException when the configuration cannot work */
    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new SmsInstance(context, SmsConfig.from(context.config()));
    }
}
