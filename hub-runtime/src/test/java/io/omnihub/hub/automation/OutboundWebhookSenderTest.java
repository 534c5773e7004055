package io.omnihub.hub.automation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.hub.http.ResilienceSettings;
import io.omnihub.hub.http.ResilientChannelHttpClient;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboundWebhookSenderTest {

    static final String SECRET = "hook-secret-4711";
    final WireMockServer receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    final Clock clock = Clock.fixed(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);
    OutboundWebhookSender sender;

    @BeforeEach
    void start() {
        receiver.start();
        AutomationProperties.Webhook settings = new AutomationProperties.Webhook();
        settings.setUrl(receiver.baseUrl() + "/hook");
        settings.setSecret(SECRET);
        ResilienceSettings resilience = new ResilienceSettings();
        resilience.getRetry().setMaxAttempts(1);
        sender = new OutboundWebhookSender("crm", settings, new ResilientChannelHttpClient("webhook", "crm", HttpClient.newHttpClient(),
                ResilienceRegistries.create(), resilience), clock);
    }

    @AfterEach
    void stop() {
        receiver.stop();
    }

    @Test
    void theBodyIsPostedWithTheActionIdAndAnHmacTheReceiverCanCheck() throws Exception {
        receiver.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));

        ActionResult result = sender.send(action());

        assertThat(result.detail()).isEqualTo("webhook crm answered 200");
        LoggedRequest request = receiver.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0);
        JsonNode body = new ObjectMapper().readTree(request.getBodyAsString());
        assertThat(body.path("id").asText()).isEqualTo("rule:lead:e1:0");
        assertThat(body.path("customerId").asText()).isEqualTo("c-1");
        assertThat(body.path("data").path("name").asText()).isEqualTo("韩梅梅");
        assertThat(request.getHeader("X-OmniHub-Action-Id")).isEqualTo("rule:lead:e1:0");
        assertThat(request.getHeader("X-OmniHub-Timestamp")).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((request.getHeader("X-OmniHub-Timestamp") + ".").getBytes(StandardCharsets.UTF_8));
        assertThat(request.getHeader("X-OmniHub-Signature")).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.getBody())));
    }

    @Test
    void answersSayWhatTheDispatcherShouldDo() {
        receiver.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        assertThatThrownBy(() -> sender.send(action())).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120)));

        receiver.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> sender.send(action())).isInstanceOf(TransientException.class).hasMessageContaining("503");

        receiver.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(422)));
        assertThatThrownBy(() -> sender.send(action())).isInstanceOf(BadInputException.class).hasMessageContaining("422");
    }

    @Test
    void aTargetWithoutSecretIsRefusedAtStart() {
        AutomationProperties.Webhook settings = new AutomationProperties.Webhook();
        settings.setUrl("http://localhost/hook");
        assertThatThrownBy(() -> new OutboundWebhookSender("open", settings, null, clock))
                .hasMessageContaining("hub.automation.webhooks.open.secret is not set");
    }

    private static OutboundAction action() {
        return new OutboundAction("rule:lead:e1:0", "webhook", null,
                Map.of("customerId", "c-1", "origin", "rule:lead", "body", Map.of("name", "韩梅梅")));
    }
}
