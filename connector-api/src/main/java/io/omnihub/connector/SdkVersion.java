package io.omnihub.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this SDK, which is also connector-api's Maven version. Plugins state the range they
 * need in their manifest ({@code Plugin-Requires: >=1.3.0 & <2.0.0}); the hub refuses a plugin whose
 * range excludes it. The SDK follows semantic versioning, checked by the build against the last
 * release: a patch version changes no API, a minor version only adds (a plugin built for 1.0.0 runs on
 * every 1.x hub), a major version may break.
 *
 * <p>History: 1.0.0 the first SDK; 1.1.0 added {@link io.omnihub.connector.http.HttpRequest#readOnly()}
 * with {@code asReadOnly()}, {@link io.omnihub.connector.source.Poller#committed(String)},
 * {@link ConnectorDescriptor#fromResources ConnectorDescriptor.fromResources} and the typed getters of
 * {@link InstanceConfig}: {@code integer}, {@code bool}, {@code url}/{@code requireUrl} and
 * {@code enumValue}/{@code requireEnum}; 1.2.0 added consent by purpose and channel
 * ({@link io.omnihub.connector.event.Consent#marketingChannels()}, {@code analytics},
 * {@link io.omnihub.connector.event.Channels}), coupons ({@link io.omnihub.connector.event.Coupon},
 * {@code coupon.issued}, {@link io.omnihub.connector.event.CustomerEventData#coupon()}) and order-line
 * categories ({@link io.omnihub.connector.event.Order.OrderLine#category()}), each in the event
 * schema too, {@link ConnectorInstance#warnings()}, and {@link io.omnihub.connector.event.Evidence}, how a
 * channel knows an identity ({@link io.omnihub.connector.event.Identity#evidence()} with
 * {@code withEvidence}, and {@code evidence} in the event schema); 1.3.0 added
 * {@link io.omnihub.connector.event.Enricher#enrichLocally}, enrichment answered from memory.
 */
public final class SdkVersion {

    /** The version, e.g. {@code 1.3.0}. */
    public static final String CURRENT = load();

    private SdkVersion() {
    }

    private static String load() {
        try (InputStream in = SdkVersion.class.getResourceAsStream("sdk.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("connector-api is missing sdk.properties", e));
        }
    }
}
