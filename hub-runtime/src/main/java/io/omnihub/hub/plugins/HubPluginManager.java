package io.omnihub.hub.plugins;

import io.omnihub.connector.SdkVersion;
import java.nio.file.Path;
import org.pf4j.JarPluginLoader;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;

/**
 * PF4J over a folder of plugin JARs, checking {@code Plugin-Requires} against the SDK version.
 *
 * <p>Each plugin gets its own class loader whose parent is the hub's (inside the Spring Boot fat jar,
 * Boot's LaunchedClassLoader). The plugin's own classes and libraries win over the hub's, except
 * for the SDK's API surface, which always comes from the hub: {@code io.omnihub.connector} (so a
 * plugin that bundles the SDK by mistake still shares the hub's {@code ChannelConnector} type) and
 * Jackson's annotations (so the SDK's annotated event records mean the same to the plugin's Jackson
 * as to the hub's).
 */
class HubPluginManager extends JarPluginManager {

    private static final String[] SHARED_WITH_PLUGINS = {"io.omnihub.connector.", "com.fasterxml.jackson.annotation."};

    HubPluginManager(Path pluginsDir) {
        super(pluginsDir);
        setSystemVersion(SdkVersion.CURRENT);
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new JarPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                return new SdkSharingClassLoader(pluginManager, descriptor, HubPluginManager.class.getClassLoader());
            }
        };
    }

    /** Whether the hub's SDK version satisfies a plugin's {@code Plugin-Requires}. */
    boolean sdkSatisfies(String requires) {
        if (requires == null || requires.isBlank() || "*".equals(requires.trim())) {
            return true;
        }
        String constraint = requires.trim();
        if (!isExactVersionAllowed() && constraint.matches("^\\d+\\.\\d+\\.\\d+$")) {
            constraint = ">=" + constraint;
        }
        return getVersionManager().checkVersionConstraint(getSystemVersion(), constraint);
    }

    private static final class SdkSharingClassLoader extends PluginClassLoader {

        SdkSharingClassLoader(PluginManager pluginManager, PluginDescriptor descriptor, ClassLoader parent) {
            super(pluginManager, descriptor, parent);
        }

        @Override
        protected boolean shouldDelegateToParent(String className) {
            for (String prefix : SHARED_WITH_PLUGINS) {
                if (className.startsWith(prefix)) {
                    return true;
                }
            }
            return super.shouldDelegateToParent(className);
        }
    }
}
