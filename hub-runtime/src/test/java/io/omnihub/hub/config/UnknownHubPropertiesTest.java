package io.omnihub.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** A misspelt {@code hub.*} key stops the start, named, instead of being silently ignored. */
class UnknownHubPropertiesTest {

    private final UnknownHubProperties.KnownKeys known = UnknownHubProperties.KnownKeys.fromClassPath(getClass().getClassLoader());

    @Test
    void aMisspeltKeyStopsTheStartAndIsNamedWithTheKeyItResembles() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(ConfigurationCheckConfiguration.class).web(WebApplicationType.NONE)
                .properties("hub.identity.sahred.peers=5").run().close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown configuration key hub.identity.sahred.peers")
                .hasMessageContaining("did you mean hub.identity.shared.peers?");
    }

    @Test
    void theKeysOfTheCrmCoresOwnReadmeNoLongerPassUnnoticed() {
        StandardEnvironment env = environment(Map.of("hub.crm.identity.types.phone.blocked-values", "+8613800000000"));

        assertThatThrownBy(() -> UnknownHubProperties.check(env, known))
                .hasMessageContaining("hub.crm.identity.types.phone.blocked-values");
    }

    @Test
    void knownKeysInAnySpellingAndFreeKeysUnderMapsStart() {
        StandardEnvironment env = environment(Map.of(
                "hub.identity.types.device_id.max-per-profile", "5",
                "hub.identity.blocked-values.phone[0]", "+8613800000000",
                "hub.identity.shared.walkIns", "6",
                "hub.connectors.wechat.brand-oa.app-id", "wx1",
                "hub.plugins.allowed-sha256[0]", "ab",
                "hub.data-dir", "data"));

        UnknownHubProperties.check(env, known);
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ConfigurationCheckConfiguration.class)
                .web(WebApplicationType.NONE).properties("hub.identity.phone.region=HK").run()) {
            assertThat(ctx.getEnvironment().getProperty("hub.identity.phone.region")).isEqualTo("HK");
        }
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return env;
    }
}
