package io.omnihub.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * What a connector is and what it needs.
 *
 * @param id           stable lowercase id used in URLs and configuration keys, e.g. {@code wechat};
 *                     webhooks arrive at {@code /hooks/<id>/<instance>}
 * @param name         human-readable name shown to operators
 * @param version      the connector's own version
 * @param channel      the channel family, e.g. {@code wechat}, {@code douyin}, {@code pos}
 * @param capabilities what the instances may offer
 * @param configSchema a JSON Schema (draft 2020-12) for an instance's configuration map; every
 *                     secret property is marked {@code "x-secret": true} so the hub never logs or
 *                     returns it
 * @see #fromResources(Class, String, String, String, Set)
 */
public record ConnectorDescriptor(
        String id,
        String name,
        String version,
        String channel,
        Set<Capability> capabilities,
        String configSchema) {

    private static final String VERSION_RESOURCE = "connector.properties";
    private static final String SCHEMA_RESOURCE = "config.schema.json";

    public ConnectorDescriptor {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[a-z][a-z0-9-]{1,31}")) {
            throw new IllegalArgumentException("connector id must be lowercase [a-z][a-z0-9-]{1,31}: " + id);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(channel, "channel");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(configSchema, "configSchema");
    }

    /**
     * A descriptor whose version and configuration schema are resources of the plugin, in the
     * package of {@code anchor} (usually the connector class itself):
     * <ul>
     *   <li>{@code connector.properties}, whose {@code version} is the connector's version (let Maven's
     *       resource filtering write it: {@code version=${project.version}});</li>
     *   <li>{@code config.schema.json}, the {@link #configSchema() configuration schema}, UTF-8.</li>
     * </ul>
     * The resources are read through {@code anchor}'s class loader, which for a class of the plugin
     * is the plugin's own. Reads once per call: keep the result in a constant, since
     * {@link ChannelConnector#descriptor()} is called often.
     *
     * <pre>{@code
     * private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.fromResources(
     *         AcmeConnector.class, "acme", "Acme Shop", "acme", Set.of(Capability.WEBHOOK, Capability.POLL));
     * }</pre>
     *
     * @param anchor a class of the plugin in the package that holds both resources
     * @throws IllegalStateException naming the resource when one is missing or
     *                               {@code connector.properties} has no {@code version}
     * @throws UncheckedIOException  when a resource cannot be read
     * @throws IllegalArgumentException when {@code id} is not a valid connector id
     * @since 1.1.0
     */
    public static ConnectorDescriptor fromResources(Class<?> anchor, String id, String name, String channel,
                                                    Set<Capability> capabilities) {
        Objects.requireNonNull(anchor, "anchor");
        Properties properties = new Properties();
        try (InputStream in = open(anchor, VERSION_RESOURCE)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(anchor, VERSION_RESOURCE), e);
        }
        String version = properties.getProperty("version", "").trim();
        if (version.isEmpty()) {
            throw new IllegalStateException(path(anchor, VERSION_RESOURCE) + " has no 'version'");
        }
        String schema;
        try (InputStream in = open(anchor, SCHEMA_RESOURCE)) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(anchor, SCHEMA_RESOURCE), e);
        }
        return new ConnectorDescriptor(id, name, version, channel, capabilities, schema);
    }

    private static InputStream open(Class<?> anchor, String resource) {
        InputStream in = anchor.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("the plugin has no resource " + path(anchor, resource)
                    + " (looked up next to " + anchor.getName() + ")");
        }
        return in;
    }

    /** The resource's path in the plugin JAR, as a reader finds it there. */
    private static String path(Class<?> anchor, String resource) {
        String folder = anchor.getPackageName().replace('.', '/');
        return folder.isEmpty() ? resource : folder + "/" + resource;
    }

    /** What a connector's instances can do. */
    public enum Capability {
        /** Receives pushes over {@code /hooks/<connector>/<instance>}. */
        WEBHOOK,
        /** Pulls records on a schedule. */
        POLL,
        /** Looks up extra identities for events it produced. */
        ENRICH,
        /** Sends outbound messages or writes to the channel. */
        ACTIONS
    }
}
