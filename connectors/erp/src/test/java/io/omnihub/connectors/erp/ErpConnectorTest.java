package io.omnihub.connectors.erp;

import static io.omnihub.connectors.erp.KingdeeFixtures.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.schema.ConfigSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErpConnectorTest {

    private final ErpConnector connector = new ErpConnector();

    @Test
    void descriptorDeclaresPollingAndActionsOnly() {
        ConnectorDescriptor descriptor = connector.descriptor();

        assertThat(descriptor.id()).isEqualTo("erp");
        assertThat(descriptor.channel()).isEqualTo("erp");
        assertThat(descriptor.version()).isNotBlank().doesNotContain("${");
        assertThat(descriptor.capabilities()).containsExactlyInAnyOrder(Capability.POLL, Capability.ACTIONS);
    }

    @Test
    void schemaDocumentsEveryKeyAndMarksTheSecrets() {
        ConfigSchema schema = ConfigSchema.parse(connector.descriptor().configSchema());

        assertThat(schema.problems()).isEmpty();
        assertThat(schema.propertyNames()).containsExactlyInAnyOrder("base-url", "acct-id", "username", "auth-mode",
                "password", "app-id", "app-secret", "lcid", "org-number", "poll-interval", "sync-start", "sync-lag", "poll-forms",
                "page-size", "customer-group", "sale-org", "bill-type", "currency", "order-number-field",
                "default-material", "saler", "order-lines", "order-line-category-field");
        assertThat(schema.secretKeys()).containsExactlyInAnyOrder("password", "app-secret");
        schema.propertyNames().forEach(key ->
                assertThat(schema.json().path("properties").path(key).path("description").asText()).as(key).isNotBlank());
    }

    @Test
    void schemaRequiresEachModesCredentials() {
        ConfigSchema schema = ConfigSchema.parse(connector.descriptor().configSchema());
        Map<String, String> base = Map.of("base-url", "https://erp.example.com/k3cloud", "acct-id", "62f3", "username", "u");

        assertThat(schema.validate(base)).anySatisfy(v -> assertThat(v).contains("password"));
        assertThat(schema.validate(Map.of("base-url", "https://erp.example.com/k3cloud", "acct-id", "62f3", "username", "u",
                "auth-mode", "signed", "app-id", "318664", "app-secret", "s3cr3t-value"))).anySatisfy(v -> assertThat(v).contains("app-id"));
        assertThat(schema.validate(KingdeeFixtures.signedConfig("https://erp.example.com"))).isEmpty();
    }

    @Test
    void pollFormsNoneGivesAnActionOnlyInstance() {
        Map<String, String> config = KingdeeFixtures.passwordConfig("https://erp.example.com");
        config.put("poll-forms", "none");

        try (ConnectorInstance instance = connector.open(context(config))) {
            assertThat(instance.poller()).isEmpty();
            assertThat(instance.actions()).isPresent();
        }
    }

    @Test
    void checkReportsAnUnreachableErpWithoutThrowing() {
        try (ConnectorInstance instance = connector.open(context(KingdeeFixtures.passwordConfig(KingdeeStubs.deadBaseUrl())))) {
            CheckResult result = instance.check();

            assertThat(result.ok()).isFalse();
            assertThat(result.message()).startsWith("Kingdee unreachable");
        }
    }
}
