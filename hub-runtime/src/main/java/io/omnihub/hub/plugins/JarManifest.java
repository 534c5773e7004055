package io.omnihub.hub.plugins;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * What a plugin JAR's manifest says about it, read before PF4J sees the JAR.
 *
 * @param pluginId {@code Plugin-Id}
 * @param version  {@code Plugin-Version}, or null
 * @param requires {@code Plugin-Requires}, or null
 */
record JarManifest(String pluginId, String version, String requires) {

    /** The manifest of JAR bytes, empty when they are no JAR or the manifest names no plugin. */
    static Optional<JarManifest> read(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            return of(in.getManifest());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The manifest of a JAR file, empty when it is unreadable or names no plugin. */
    static Optional<JarManifest> read(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return of(file.getManifest());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<JarManifest> of(Manifest manifest) {
        if (manifest == null) {
            return Optional.empty();
        }
        Attributes attributes = manifest.getMainAttributes();
        String id = attributes.getValue("Plugin-Id");
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new JarManifest(id.trim(), trimmed(attributes.getValue("Plugin-Version")),
                trimmed(attributes.getValue("Plugin-Requires"))));
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
