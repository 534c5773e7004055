package io.omnihub.connectors.douyin;

import static io.omnihub.connectors.douyin.DouyinFixtures.APP_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.context;
import static io.omnihub.connectors.douyin.DouyinFixtures.openConfig;
import static io.omnihub.connectors.douyin.DouyinFixtures.shopConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.schema.ConfigSchema;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DouyinConnectorTest {

    private final DouyinConnector connector = new DouyinConnector();
    private final ConnectorDescriptor descriptor = connector.descriptor();

    /** What the hub would report for {@code config}: the same check, the same messages. */
    private Set<String> configProblems(Map<String, String> config) {
        return Set.copyOf(ConfigSchema.parse(descriptor.configSchema()).validate(config));
    }

    @Test
    void describesItselfAsTheWebhookOnlyDouyinConnector() {
        assertThat(descriptor.id()).isEqualTo("douyin");
        assertThat(descriptor.channel()).isEqualTo("douyin");
        assertThat(descriptor.capabilities()).containsExactly(Capability.WEBHOOK);
        assertThat(descriptor.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void schemaDescribesEveryKeyAndMarksEverySecret() throws IOException {
        JsonNode properties = DouyinJson.MAPPER.readTree(descriptor.configSchema()).path("properties");

        assertThat(properties.fieldNames()).toIterable().containsExactlyInAnyOrder("kind", "client-key", "client-secret",
                "app-key", "app-secret", "shop-id", "decrypt-phone", "api-base-url");
        properties.fields().forEachRemaining(p ->
                assertThat(p.getValue().path("description").asText()).as(p.getKey()).isNotBlank());
        assertThat(ConfigSchema.parse(descriptor.configSchema()).secretKeys()).containsExactlyInAnyOrder("client-secret", "app-secret");
        assertThat(properties.path("decrypt-phone").path("default").asBoolean()).isTrue();
    }

    @Test
    void schemaAcceptsWorkingConfigurationsOfBothKinds() {
        Map<String, String> open = openConfig();
        open.put("api-base-url", "https://open.douyin.com");
        Map<String, String> shop = shopConfig();
        shop.put("decrypt-phone", "false");

        assertThat(configProblems(openConfig())).isEmpty();
        assertThat(configProblems(open)).isEmpty();
        assertThat(configProblems(shopConfig())).isEmpty();
        assertThat(configProblems(shop)).isEmpty();
    }

    @Test
    void schemaRequiresEachKindsCredentials() {
        Map<String, String> open = openConfig();
        open.remove("client-secret");
        Map<String, String> shop = shopConfig();
        shop.remove("shop-id");
        Map<String, String> badShopId = shopConfig();
        badShopId.put("shop-id", "shop-12345");

        assertThat(configProblems(open)).anyMatch(p -> p.contains("client-secret"));
        assertThat(configProblems(shop)).anyMatch(p -> p.contains("shop-id"));
        assertThat(configProblems(badShopId)).anyMatch(p -> p.contains("shop-id")).noneMatch(p -> p.contains("shop-12345"));
        assertThat(configProblems(Map.of("kind", "tiktok"))).isNotEmpty();
    }

    @Test
    void opensAnInstanceOfEachKindWithoutCallingTheChannel() {
        try (ConnectorInstance open = connector.open(context(openConfig()));
             ConnectorInstance shop = connector.open(context(shopConfig()))) {
            assertThat(open).isInstanceOf(DouyinOpenInstance.class);
            assertThat(shop).isInstanceOf(DoudianInstance.class);
            assertThat(open.webhook()).isPresent();
            assertThat(shop.webhook()).isPresent();
            assertThat(open.poller()).isEmpty();
            assertThat(shop.actions()).isEmpty();
            assertThat(shop.enricher()).isEmpty();
        }
    }

    @Test
    void unworkableConfigurationFailsOpeningWithTheKeyNamed() {
        Map<String, String> noSecret = openConfig();
        noSecret.remove("client-secret");
        Map<String, String> badShop = shopConfig();
        badShop.put("shop-id", "99999999999999999999");
        Map<String, String> badFlag = shopConfig();
        badFlag.put("decrypt-phone", "sometimes");
        Map<String, String> badUrl = shopConfig();
        badUrl.put("api-base-url", "openapi-fxg.jinritemai.com");

        assertThatThrownBy(() -> connector.open(context(noSecret))).isInstanceOf(ConfigException.class)
                .hasMessage("missing required configuration 'client-secret'");
        assertThatThrownBy(() -> connector.open(context(badShop))).isInstanceOf(ConfigException.class).hasMessageContaining("shop-id");
        assertThatThrownBy(() -> connector.open(context(badFlag))).isInstanceOf(ConfigException.class).hasMessageContaining("decrypt-phone");
        assertThatThrownBy(() -> connector.open(context(badUrl))).isInstanceOf(ConfigException.class).hasMessageContaining("api-base-url");
        assertThatThrownBy(() -> connector.open(context(Map.of("kind", "tiktok")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("open or shop");
    }

    @Test
    void defaultsTheApiBaseUrlPerKind() {
        assertThat(DouyinFixtures.config(openConfig()).apiBaseUrl()).hasToString("https://open.douyin.com");
        assertThat(DouyinFixtures.config(shopConfig()).apiBaseUrl()).hasToString("https://openapi-fxg.jinritemai.com");
        Map<String, String> trailing = shopConfig();
        trailing.put("api-base-url", "http://localhost:8089/");
        assertThat(DouyinFixtures.config(trailing).apiBaseUrl()).hasToString("http://localhost:8089");
    }

    @Test
    void configPrintsNoSecret() {
        assertThat(DouyinFixtures.config(openConfig()).toString()).doesNotContain(CLIENT_SECRET).contains("******");
        assertThat(DouyinFixtures.config(shopConfig()).toString()).doesNotContain(APP_SECRET).contains("******");
    }

    @Test
    void pluginManifestNamesThePluginClassAndTheExtensionIsIndexed() throws IOException {
        Set<String> extensions = new java.util.HashSet<>();
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(extensions::add);
            }
        }
        assertThat(extensions).contains(DouyinConnector.class.getName());
        assertThat(new DouyinPlugin()).isNotNull();
    }
}
