package io.omnihub.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** The real WeChat connector plugin JAR this build produced, and variants of it for tests. */
public final class WeChatPluginJar {

    private WeChatPluginJar() {
    }

    /**
     * The JAR connectors/wechat packaged in this reactor run, or the copy the build drops into the
     * repository's plugins folder.
     */
    public static Path path() {
        Path target = Path.of("..", "connectors", "wechat", "target").toAbsolutePath().normalize();
        Optional<Path> built = Optional.empty();
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                built = files.filter(p -> p.getFileName().toString().matches("connector-wechat-[^/]*\\.jar"))
                        .filter(p -> !p.getFileName().toString().endsWith("-sources.jar")
                                && !p.getFileName().toString().endsWith("-tests.jar"))
                        .findFirst();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path dropped = Path.of("..", "plugins", "wechat-plugin.jar").toAbsolutePath().normalize();
        return built.or(() -> Files.isRegularFile(dropped) ? Optional.of(dropped) : Optional.empty())
                .orElseThrow(() -> new IllegalStateException("no WeChat plugin JAR in " + target + " or " + dropped
                        + "; build with ./mvnw verify so plugins are packaged before hub-runtime is tested"));
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
