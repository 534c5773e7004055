package io.omnihub.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The real WeChat connector plugin JAR this build produced, and variants of it for tests. */
public final class WeChatPluginJar {

    private WeChatPluginJar() {
    }

    /** The WeChat plugin JAR this build produced. */
    public static Path path() {
        return PluginJars.path("wechat");
    }

    /**
     * A copy of the plugin with its manifest changed: another plugin id and another SDK range, as a
     * partner's plugin built for a future SDK would look.
     */
    public static void copyWithManifest(Path target, String pluginId, String requires) {
        copyWithManifest(target, pluginId, requires, null);
    }

    /** As {@link #copyWithManifest(Path, String, String)}, with another {@code Plugin-Version} when not null. */
    public static void copyWithManifest(Path target, String pluginId, String requires, String version) {
        try (JarFile source = new JarFile(path().toFile())) {
            Manifest manifest = new Manifest(source.getManifest());
            Attributes attributes = manifest.getMainAttributes();
            attributes.putValue("Plugin-Id", pluginId);
            attributes.putValue("Plugin-Requires", requires);
            if (version != null) {
                attributes.putValue("Plugin-Version", version);
            }
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            try (OutputStream file = Files.newOutputStream(partial); JarOutputStream out = new JarOutputStream(file, manifest)) {
                var entries = source.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            // Appears complete in one step, as an integrator's `mv` would make it.
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
