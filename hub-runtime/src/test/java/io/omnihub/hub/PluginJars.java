package io.omnihub.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real connector plugin JARs this build produced, found as an integrator would find them: in the
 * repository's {@code plugins/} folder the build fills, or else in the connector module's
 * {@code target/} of this reactor run.
 */
public final class PluginJars {

    /** The plugins this repository ships, by plugin id. */
    public static final String[] BUNDLED = {"wechat", "douyin", "tmall", "pos", "erp", "sms", "email"};

    private PluginJars() {
    }

    /** The JAR of the bundled plugin with this id (its module is {@code connectors/<id>}). */
    public static Path path(String pluginId) {
        Path target = Path.of("..", "connectors", pluginId, "target").toAbsolutePath().normalize();
        Optional<Path> built = Optional.empty();
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                built = files.filter(p -> p.getFileName().toString().matches("connector-" + pluginId + "-[^/]*\\.jar"))
                        .filter(p -> !p.getFileName().toString().startsWith("original-")
                                && !p.getFileName().toString().endsWith("-sources.jar")
                                && !p.getFileName().toString().endsWith("-tests.jar"))
                        .findFirst();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path dropped = Path.of("..", "plugins", pluginId + "-plugin.jar").toAbsolutePath().normalize();
        return built.or(() -> Files.isRegularFile(dropped) ? Optional.of(dropped) : Optional.empty())
                .orElseThrow(() -> new IllegalStateException("no " + pluginId + " plugin JAR in " + target + " or "
                        + dropped + "; build with ./mvnw verify so plugins are packaged before hub-runtime is tested"));
    }

    /** A fresh plugins folder holding the given bundled plugins, named as the build names them. */
    public static Path folderWith(String... pluginIds) {
        try {
            Files.createDirectories(Path.of("target"));
            Path folder = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "plugins-");
            for (String id : pluginIds) {
                Files.copy(path(id), folder.resolve(id + "-plugin.jar"), StandardCopyOption.REPLACE_EXISTING);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
