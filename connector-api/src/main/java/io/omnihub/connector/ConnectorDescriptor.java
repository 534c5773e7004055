package io.omnihub.connector;

import java.util.Objects;
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
 */
public record ConnectorDescriptor(
        String id,
        String name,
        String version,
        String channel,
        Set<Capability> capabilities,
        String configSchema) {

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
