package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.wechat.WeChatApiStubs.deadBaseUrl;
import static io.omnihub.connectors.wechat.WeChatApiStubs.error;
import static io.omnihub.connectors.wechat.WeChatApiStubs.mpApiConfig;
import static io.omnihub.connectors.wechat.WeChatApiStubs.stubToken;
import static io.omnihub.connectors.wechat.WeChatFixtures.AES_KEY;
import static io.omnihub.connectors.wechat.WeChatFixtures.SECRET;
import static io.omnihub.connectors.wechat.WeChatFixtures.TOKEN;
import static io.omnihub.connectors.wechat.WeChatFixtures.context;
import static io.omnihub.connectors.wechat.WeChatFixtures.mpConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.mpSafeModeConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.wecomConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.CheckResult;
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
import org.junit.jupiter.api.extension.RegisterExtension;

class WeChatConnectorTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final WeChatConnector connector = new WeChatConnector();
    private final ConnectorDescriptor descriptor = connector.descriptor();

    /** What the hub would report for {@code config}: the same check, the same messages. */
    private Set<String> configProblems(Map<String, String> config) {
        return Set.copyOf(ConfigSchema.parse(descriptor.configSchema()).validate(config));
    }

    @Test
    void describesItselfAsTheWeChatConnector() {
        assertThat(descriptor.id()).isEqualTo("wechat");
        assertThat(descriptor.channel()).isEqualTo("wechat");
        assertThat(descriptor.capabilities()).containsExactlyInAnyOrder(Capability.WEBHOOK, Capability.ENRICH, Capability.ACTIONS);
        assertThat(descriptor.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void schemaMarksEverySecret() throws IOException {
        JsonNode properties = CanonicalEvents.JSON.readTree(descriptor.configSchema()).path("properties");

        assertThat(properties.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "kind", "app-id", "app-secret", "token", "encoding-aes-key", "api-base-url", "timestamp-tolerance");
        assertThat(properties.path("app-secret").path("x-secret").asBoolean()).isTrue();
        assertThat(properties.path("token").path("x-secret").asBoolean()).isTrue();
        assertThat(properties.path("encoding-aes-key").path("x-secret").asBoolean()).isTrue();
        assertThat(properties.path("app-id").path("x-secret").asBoolean()).isFalse();
        assertThat(properties.path("timestamp-tolerance").path("default").asText()).isEqualTo("5m");
    }

    @Test
    void schemaAcceptsWorkingConfigurations() {
        Map<String, String> full = mpConfig();
        full.put("app-secret", SECRET);
        full.put("encoding-aes-key", AES_KEY);
        full.put("api-base-url", "https://api.weixin.qq.com");
        full.put("timestamp-tolerance", "300s");

        assertThat(configProblems(mpConfig())).isEmpty();
        assertThat(configProblems(full)).isEmpty();
        assertThat(configProblems(wecomConfig())).isEmpty();
    }

    @Test
    void schemaRefusesBrokenConfigurations() {
        Map<String, String> wecomWithoutKey = wecomConfig();
        wecomWithoutKey.remove("encoding-aes-key");
        Map<String, String> wrongKind = mpConfig();
        wrongKind.put("kind", "miniapp");
        Map<String, String> shortKey = mpConfig();
        shortKey.put("encoding-aes-key", AES_KEY.substring(1));
        Map<String, String> noToken = mpConfig();
        noToken.remove("token");

        assertThat(configProblems(wecomWithoutKey)).isNotEmpty();
        assertThat(configProblems(wrongKind)).isNotEmpty();
        assertThat(configProblems(shortKey)).isNotEmpty();
        assertThat(configProblems(noToken)).isNotEmpty();
    }

    @Test
    void openRefusesConfigurationsThatCannotWork() {
        Map<String, String> wecomWithoutKey = wecomConfig();
        wecomWithoutKey.remove("encoding-aes-key");
        Map<String, String> badKey = mpConfig();
        badKey.put("encoding-aes-key", "x".repeat(42) + "!");
        Map<String, String> badTolerance = mpConfig();
        badTolerance.put("timestamp-tolerance", "five minutes");

        assertThatThrownBy(() -> connector.open(context(wecomWithoutKey)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("encoding-aes-key");
        assertThatThrownBy(() -> connector.open(context(badKey)))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("x".repeat(42));
        assertThatThrownBy(() -> connector.open(context(badTolerance)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timestamp-tolerance");
    }

    @Test
    void instanceOffersWhatItsConfigurationAllows() {
        try (ConnectorInstance webhookOnly = connector.open(context(mpConfig()));
             ConnectorInstance full = connector.open(context(mpApiConfig(wm)));
             ConnectorInstance wecom = connector.open(context(wecomConfig()))) {
            assertThat(webhookOnly.webhook()).isPresent();
            assertThat(webhookOnly.enricher()).isEmpty();
            assertThat(webhookOnly.actions()).isEmpty();
            assertThat(full.enricher()).isPresent();
            assertThat(full.actions()).isPresent();
            assertThat(wecom.webhook()).isPresent();
            assertThat(wecom.actions()).isEmpty();
        }
    }

    @Test
    void anAccountWithoutSafeModeWarnsItsOperator() {
        Map<String, String> noReplayCheck = mpConfig();
        noReplayCheck.put("timestamp-tolerance", "0");
        try (ConnectorInstance plaintext = connector.open(context(mpConfig()));
             ConnectorInstance unchecked = connector.open(context(noReplayCheck));
             ConnectorInstance safe = connector.open(context(mpSafeModeConfig()));
             ConnectorInstance wecom = connector.open(context(wecomConfig()))) {
            assertThat(plaintext.warnings()).singleElement().asString().startsWith("plaintext mode").contains("safe mode (安全模式)");
            assertThat(unchecked.warnings()).hasSize(2).anyMatch(warning -> warning.contains("replayed pushes are not refused"));
            assertThat(safe.warnings()).isEmpty();
            assertThat(wecom.warnings()).isEmpty();
        }
    }

    @Test
    void checkAsksWeChatForAFreshToken() {
        stubToken(wm);
        ConnectorInstance instance = connector.open(context(mpApiConfig(wm)));

        assertThat(instance.check().ok()).isTrue();
        assertThat(instance.check().ok()).isTrue();
        wm.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/token")));
    }

    @Test
    void checkReportsRejectedCredentials() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(error(40013, "invalid appid")));

        CheckResult result = connector.open(context(mpApiConfig(wm))).check();

        assertThat(result).isEqualTo(CheckResult.failed("WeChat rejected the credentials: 40013 invalid appid"));
    }

    @Test
    void checkReportsAnUnreachableApi() {
        Map<String, String> config = mpApiConfig(wm);
        config.put("api-base-url", deadBaseUrl());

        CheckResult result = connector.open(context(config)).check();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).startsWith("WeChat API unreachable").doesNotContain(SECRET);
    }

    @Test
    void checkOfAWebhookOnlyInstanceCallsNothing() {
        CheckResult result = connector.open(context(mpConfig())).check();

        assertThat(result.ok()).isTrue();
        assertThat(result.message()).contains("webhook only");
    }

    @Test
    void configNeverPrintsItsSecrets() {
        Map<String, String> config = mpApiConfig(wm);
        config.put("encoding-aes-key", AES_KEY);
        String printed = WeChatConfig.from(context(config).config()).toString();

        assertThat(printed).doesNotContain(SECRET).doesNotContain(AES_KEY).doesNotContain(TOKEN).contains("******");
    }

    @Test
    void extensionIndexListsTheConnector() throws IOException {
        boolean listed = false;
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                listed |= new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .anyMatch(WeChatConnector.class.getName()::equals);
            }
        }
        assertThat(listed).as("PF4J extension index names WeChatConnector").isTrue();
    }
}
