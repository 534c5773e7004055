package io.omnihub.hub.plugins;

import java.util.List;

/**
 * A plugin JAR as operators see it.
 *
 * @param id         the plugin id from its manifest, or the file name when the manifest could not be read
 * @param version    the plugin's version, or null
 * @param state      {@code STARTED}, {@code STOPPED}, {@code DISABLED} (refused or switched off), {@code FAILED}
 *                   (could not be loaded or started), or PF4J's {@code RESOLVED} while starting
 * @param requires   the SDK versions it declares it works with ({@code Plugin-Requires})
 * @param connectors ids of the connectors it contributes (those accepted into the catalog)
 * @param file       the JAR's file name in the plugins folder
 * @param sha256     hex SHA-256 of the JAR, for allowlists and audits
 * @param reason     why it is not started, or null when it is
 * @param provider   the plugin's provider, or null
 * @param description the plugin's description, or null
 */
public record PluginStatus(
        String id,
        String version,
        String state,
        String requires,
        List<String> connectors,
        String file,
        String sha256,
        String reason,
        String provider,
        String description) {
}
