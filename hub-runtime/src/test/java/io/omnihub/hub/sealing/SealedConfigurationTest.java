package io.omnihub.hub.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Sealed values in the configuration, as an operator writes them in application.yml or the environment. */
class SealedConfigurationTest {

    @TempDir
    Path data;

    @Test
    void aSealedValueInTheConfigurationOrTheEnvironmentIsReadAsTheSecretItSeals() {
        String key = SealingKeys.newKey();
        Sealer sealer = SealingKeys.load(key, List.of(), data.resolve("sealing.key"));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application.yml", Map.of(
                "hub.security.sealing.key", key,
                "hub.data-dir", data.toString(),
                "hub.automation.webhooks.crm.secret", sealer.seal("webhook-secret-in-yaml", SealedConfiguration.CONTEXT),
                "hub.automation.webhooks.crm.url", "https://crm.example.com/omnihub")));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource("systemEnvironment", Map.of(
                "HUB_CONNECTORS_WECHAT_BRAND_APP_SECRET", sealer.seal("app-secret-in-env", SealedConfiguration.CONTEXT))));

        new SealedConfiguration().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("hub.automation.webhooks.crm.secret")).isEqualTo("webhook-secret-in-yaml");
        assertThat(environment.getProperty("hub.automation.webhooks.crm.url")).isEqualTo("https://crm.example.com/omnihub");
        assertThat(Binder.get(environment).bind("hub.connectors.wechat.brand.app-secret", String.class).get()).isEqualTo("app-secret-in-env");
    }

    @Test
    void aSealedValueThisHubCannotOpenStopsTheStartNamingTheProperty() {
        Sealer other = new Sealer(new byte[32], List.of());
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application.yml", Map.of(
                "hub.data-dir", data.toString(),
                "hub.security.sealing.key", SealingKeys.newKey(),
                "spring.datasource.password", other.seal("db-password", SealedConfiguration.CONTEXT))));

        assertThatThrownBy(() -> new SealedConfiguration().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("spring.datasource.password").hasMessageContaining(other.currentKeyId());
    }

    @Test
    void sealedValuesWithoutAnyKeyStopTheStartAndMakeUpNoKey() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application.yml", Map.of(
                "hub.data-dir", data.toString(),
                "spring.datasource.password", new Sealer(new byte[32], List.of()).seal("db-password", SealedConfiguration.CONTEXT))));

        assertThatThrownBy(() -> new SealedConfiguration().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("no sealing key").hasMessageContaining("sealing.key");
        assertThat(data.resolve("sealing.key")).doesNotExist();
    }

    @Test
    void aConfigurationWithoutSealedValuesIsLeftAsItIsAndNoKeyFileIsCreated() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application.yml", Map.of("hub.data-dir", data.toString(),
                "hub.automation.webhooks.crm.secret", "plain")));

        new SealedConfiguration().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("hub.automation.webhooks.crm.secret")).isEqualTo("plain");
        assertThat(data.resolve("sealing.key")).doesNotExist();
    }
}
