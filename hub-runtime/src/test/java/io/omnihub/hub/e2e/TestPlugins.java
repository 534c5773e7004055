package io.omnihub.hub.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Finds the connector plugin JARs this build produced, to load them as an integrator would. */
final class TestPlugins {

    private TestPlugins() {
    }

    /** The WeChat plugin JAR built by connectors/wechat in this reactor run. */
    static Path wechatJar() {
        Path target = Path.of("..", "connectors", "wechat", "target").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("connector-wechat-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("original")
                            && !p.getFileName().toString().endsWith("-sources.jar")
                            && !p.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no WeChat plugin JAR in " + target
                            + "; build with ./mvnw verify so plugins are packaged before hub-runtime is tested"));
        } catch (IOException e) {
            throw new UncheckedIOException("no WeChat plugin build output at " + target
                    + "; build with ./mvnw verify so plugins are packaged before hub-runtime is tested", e);
        }
    }

    /** A fresh plugins folder holding the WeChat plugin. */
    static Path pluginsFolderWithWeChat() {
        try {
            Path folder = Files.createTempDirectory("omnihub-plugins");
            Files.copy(wechatJar(), folder.resolve("wechat-plugin.jar"), StandardCopyOption.REPLACE_EXISTING);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
