package io.omnihub.connectors.tmall;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.schema.ConfigSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TmallConnectorTest {

    @Test
    void theDescriptorDeclaresPollingOnly() {
        ConnectorDescriptor descriptor = new TmallConnector().descriptor();

        assertThat(descriptor.id()).isEqualTo("tmall");
        assertThat(descriptor.channel()).isEqualTo("tmall");
        assertThat(descriptor.capabilities()).containsExactly(Capability.POLL);
        assertThat(descriptor.version()).isNotBlank().doesNotContain("${");
    }

    @Test
    void theSchemaMarksTheSecretsAndDocumentsEveryKey() {
        ConfigSchema schema = ConfigSchema.parse(new TmallConnector().descriptor().configSchema());

        assertThat(schema.problems()).isEmpty();
        assertThat(schema.secretKeys()).containsExactlyInAnyOrder("app-secret", "session");
        for (String key : new String[] {"app-key", "app-secret", "session", "sign-method", "api-base-url", "seller-id",
                "tmc-enabled", "tmc-group", "tmc-quantity", "sync-enabled", "sync-start", "sync-lag", "sync-page-size",
                "trade-detail", "poll-interval"}) {
            assertThat(schema.declares(key)).as(key).isTrue();
        }
        assertThat(schema.validate(Map.of("app-key", "1", "app-secret", "s", "session", "t", "tmc-quantity", "500")))
                .isNotEmpty();
        assertThat(schema.validate(Map.of("app-key", "1", "app-secret", "s", "session", "t", "sync-start",
                "2025-05-01 08:00:00", "trade-detail", "false", "sync-lag", "5m"))).isEmpty();
    }

    @Test
    void anInstanceOnlyPolls() {
        ConnectorInstance instance = new TmallConnector().open(TmallFixtures.context(TmallFixtures.config("https://gw.api.taobao.com/router/rest")));

        assertThat(instance.poller()).isPresent();
        assertThat(instance.webhook()).isEmpty();
        assertThat(instance.actions()).isEmpty();
        assertThat(instance.enricher()).isEmpty();
        assertThat(instance.normalizer()).isNotNull();
    }

    @Test
    void thePluginClassIsTheOneTheManifestNames() {
        assertThat(TmallPlugin.class.getName()).isEqualTo("io.omnihub.connectors.tmall.TmallPlugin");
        assertThat(TmallConnector.class.isAnnotationPresent(org.pf4j.Extension.class)).isTrue();
    }
}
