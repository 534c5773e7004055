package io.omnihub.hub.sealing;

import io.omnihub.hub.logging.SecretValues;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Opens sealed values in the hub's configuration, so that secrets kept in {@code application.yml},
 * on the command line or in environment variables (an outbound webhook's {@code secret}, a connector
 * instance's {@code app-secret}, {@code spring.datasource.password}) can be stored sealed as well:
 * any property whose value is {@code sealed:v1:...} (made with {@code POST /api/v1/secrets/seal}) is
 * read as what it seals. Runs once the configuration files are read; the sealing key comes from
 * {@code hub.security.sealing.key} or {@code ${hub.data-dir}/sealing.key}, as for the database.
 */
public final class SealedConfiguration implements EnvironmentPostProcessor, Ordered {

    /** The context every sealed configuration value is sealed for. */
    public static final String CONTEXT = "configuration";

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 10;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> fromEnvironment = new LinkedHashMap<>();
        Map<String, Object> fromElsewhere = new LinkedHashMap<>();
        Sealer sealer = null;
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            Map<String, Object> target = source instanceof SystemEnvironmentPropertySource ? fromEnvironment : fromElsewhere;
            for (String name : enumerable.getPropertyNames()) {
                if (enumerable.getProperty(name) instanceof String value && Sealer.isSealed(value.strip())
                        && !fromEnvironment.containsKey(name) && !fromElsewhere.containsKey(name)) {
                    if (sealer == null) {
                        sealer = sealer(environment);
                    }
                    try {
                        String opened = sealer.open(value.strip(), CONTEXT);
                        SecretValues.register(List.of(opened));
                        target.put(name, opened);
                    } catch (SealedValueException e) {
                        throw new IllegalStateException("property '" + name + "' in " + source.getName() + " cannot be opened: " + e.getMessage());
                    }
                }
            }
        }
        if (!fromElsewhere.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("openedSealedProperties", fromElsewhere));
        }
        if (!fromEnvironment.isEmpty()) {
            // Environment variables keep their relaxed names (HUB_AUTOMATION_WEBHOOKS_CRM_SECRET).
            environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("openedSealedEnvironment", fromEnvironment));
        }
    }

    private static Sealer sealer(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        List<String> previousKeys = binder.bind("hub.security.sealing.previous-keys", Bindable.listOf(String.class)).orElse(List.of());
        Path dataDir = binder.bind("hub.data-dir", Path.class).orElse(Path.of("data"));
        String key = binder.bind("hub.security.sealing.key", String.class).orElse(null);
        Path keyFile = dataDir.resolve("sealing.key");
        if ((key == null || key.isBlank()) && !java.nio.file.Files.exists(keyFile)) {
            // A key made up now could open nothing sealed before.
            throw new IllegalStateException("the configuration holds sealed values, but there is no sealing key: set "
                    + "hub.security.sealing.key, or restore " + keyFile.toAbsolutePath());
        }
        return SealingKeys.load(key, previousKeys, keyFile, false);
    }
}
