package io.omnihub.hub.e2e;

import io.omnihub.hub.PluginJars;

import java.nio.file.Path;

/** Finds the connector plugin JARs this build produced, to load them as an integrator would. */
final class TestPlugins {

    private TestPlugins() {
    }

    /** The WeChat plugin JAR built by connectors/wechat in this reactor run. */
    static Path wechatJar() {
        return PluginJars.path("wechat");
    }

    /** A fresh plugins folder holding the WeChat plugin. */
    static Path pluginsFolderWithWeChat() {
        return PluginJars.folderWith("wechat");
    }
}
