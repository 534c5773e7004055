package io.omnihub.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.fixtures.complete.Anchor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A plugin states its version and configuration schema as two resources next to its connector
 * class; {@link ConnectorDescriptor#fromResources} reads them and says which one is missing.
 */
class ConnectorDescriptorTest {

    @Test
    void versionAndSchemaAreReadFromTheResourcesNextToTheAnchor() throws IOException {
        ConnectorDescriptor descriptor = ConnectorDescriptor.fromResources(Anchor.class, "acme", "Acme Shop", "acme",
                Set.of(Capability.WEBHOOK, Capability.POLL));

        assertThat(descriptor.id()).isEqualTo("acme");
        assertThat(descriptor.name()).isEqualTo("Acme Shop");
        assertThat(descriptor.channel()).isEqualTo("acme");
        assertThat(descriptor.capabilities()).containsExactlyInAnyOrder(Capability.WEBHOOK, Capability.POLL);
        assertThat(descriptor.version()).as("trimmed").isEqualTo("2.3.4");
        assertThat(descriptor.configSchema()).as("the file as it is, read as UTF-8")
                .isEqualTo(fixture("complete/config.schema.json"))
                .contains("店铺ID");
    }

    @Test
    void aMissingSchemaIsNamedWithItsPath() {
        assertThatThrownBy(() -> ConnectorDescriptor.fromResources(io.omnihub.connector.fixtures.noschema.Anchor.class,
                "acme", "Acme Shop", "acme", Set.of(Capability.POLL)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io/omnihub/connector/fixtures/noschema/config.schema.json");
    }

    @Test
    void aMissingConnectorPropertiesIsNamedWithItsPath() {
        assertThatThrownBy(() -> ConnectorDescriptor.fromResources(ConnectorDescriptorTest.class,
                "acme", "Acme Shop", "acme", Set.of(Capability.POLL)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io/omnihub/connector/connector.properties")
                .hasMessageContaining(ConnectorDescriptorTest.class.getName());
    }

    @Test
    void connectorPropertiesWithoutAVersionIsRefused() {
        assertThatThrownBy(() -> ConnectorDescriptor.fromResources(io.omnihub.connector.fixtures.noversion.Anchor.class,
                "acme", "Acme Shop", "acme", Set.of(Capability.POLL)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("io/omnihub/connector/fixtures/noversion/connector.properties has no 'version'");
    }

    @Test
    void theIdIsCheckedAsByTheConstructor() {
        assertThatThrownBy(() -> ConnectorDescriptor.fromResources(Anchor.class, "Acme", "Acme Shop", "acme",
                Set.of(Capability.POLL)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Acme");
    }

    private static String fixture(String path) throws IOException {
        try (InputStream in = ConnectorDescriptorTest.class.getResourceAsStream("fixtures/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
