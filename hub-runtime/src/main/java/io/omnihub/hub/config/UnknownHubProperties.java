package io.omnihub.hub.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stops the start when a {@code hub.*} key is unknown, naming it: a misspelt key would otherwise be
 * ignored and its default silently used (a test number left linking people, a limit not applied).
 * The known keys are those of the hub's typed configuration classes, read from the configuration
 * metadata the build generates ({@code META-INF/spring-configuration-metadata.json}); under a key
 * whose value is a map (connector instances, identity rules per type) any sub-key is accepted and
 * checked where it is used. Keys from application properties, YAML, system properties and the
 * command line are checked; environment variables are not, since their names lose the separators.
 */
public final class UnknownHubProperties implements BeanFactoryPostProcessor, EnvironmentAware {

    static final String PREFIX = "hub.";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (environment instanceof ConfigurableEnvironment env) {
            check(env, KnownKeys.fromClassPath(getClass().getClassLoader()));
        }
    }

    /**
     * @throws IllegalStateException naming every unknown {@code hub.*} key and where it was set
     */
    static void check(ConfigurableEnvironment env, KnownKeys known) {
        List<String> unknown = new ArrayList<>();
        for (PropertySource<?> source : env.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> names)
                    || source.getName().equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
                continue;
            }
            for (String name : names.getPropertyNames()) {
                if (name.startsWith(PREFIX) && !known.accepts(name)) {
                    String nearest = known.nearest(name);
                    unknown.add(name + " (in " + source.getName() + (nearest == null ? "" : "; did you mean " + nearest + "?") + ")");
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("unknown configuration key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + ": the hub does not read " + (unknown.size() > 1 ? "them" : "it") + " (docs/runtime.md lists the keys)");
        }
    }

    /** The {@code hub.*} keys the hub reads: exact names, and names whose value is a map or list. */
    static final class KnownKeys {
        private final Set<String> exact = new TreeSet<>();
        private final Set<String> open = new TreeSet<>();

        static KnownKeys fromClassPath(ClassLoader loader) {
            KnownKeys keys = new KnownKeys();
            JsonMapper mapper = JsonMapper.builder().build();
            try {
                Enumeration<URL> files = loader.getResources("META-INF/spring-configuration-metadata.json");
                while (files.hasMoreElements()) {
                    try (InputStream in = files.nextElement().openStream()) {
                        for (JsonNode p : mapper.readTree(in).path("properties")) {
                            keys.add(p.path("name").asString(""), p.path("type").asString(""));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the configuration metadata", e);
            }
            return keys;
        }

        void add(String name, String type) {
            if (!name.startsWith(PREFIX)) {
                return;
            }
            if (type.startsWith("java.util.Map") || type.startsWith("java.util.List") || type.startsWith("java.util.Set")) {
                open.add(name);
            }
            exact.add(name);
        }

        boolean accepts(String raw) {
            String name = canonical(raw);
            if (exact.contains(name)) {
                return true;
            }
            for (String prefix : open) {
                if (name.startsWith(prefix + ".") || name.startsWith(prefix + "[")) {
                    return true;
                }
            }
            return false;
        }

        /** The known key closest to {@code raw} when it looks like a typo of it, else null. */
        String nearest(String raw) {
            String name = canonical(raw);
            String[] parts = name.split("\\.");
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (String k : exact) {
                int depth = k.split("\\.").length;
                // under a map key, compare only as deep as the map key itself goes
                String compared = open.contains(k) && parts.length > depth ? String.join(".", java.util.Arrays.copyOf(parts, depth)) : name;
                int d = distance(compared, k);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
            return bestDistance <= Math.max(2, name.length() / 8) ? best : null;
        }

        /** Relaxed binding's canonical form: lowercase, camelCase as kebab-case, list indexes kept. */
        static String canonical(String raw) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (Character.isUpperCase(c)) {
                    if (i > 0 && raw.charAt(i - 1) != '.' && raw.charAt(i - 1) != '-') {
                        sb.append('-');
                    }
                    sb.append(Character.toLowerCase(c));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString().replace('_', '-').toLowerCase(Locale.ROOT);
        }

        private static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }
}
