package io.omnihub.connectors.douyin;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_KEY;
import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import io.omnihub.testkit.WebhookRequests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OmniHub acceptance suite against a Douyin Open Platform app (kind {@code open}), with pushes
 * signed as Douyin signs them. The {@code verify_webhook} handshake is a POST that keeps nothing, so
 * it is not among the samples (the kit expects every POST to yield a record); its own tests are in
 * {@link DouyinWebhookHandlerTest}.
 */
class DouyinOpenConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    /** Different channel events, each handled by the normalizer. */
    private static final List<String> PUSHES = List.of("authorize.json", "unauthorize.json", "im-receive-msg-text.json",
            "im-receive-msg-string-content.json", "im-receive-msg-image.json", "im-send-msg.json",
            "im-enter-direct-msg.json", "life-trade-order-notify-pay-success.json",
            "life-trade-certificate-notify-verify.json", "life-product-audit.json", "new-follow-action.json");

    @Override
    protected ChannelConnector connector() {
        return new DouyinConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("kind", "open", "client-key", CLIENT_KEY, "client-secret", CLIENT_SECRET, "api-base-url", channelBaseUrl);
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(DouyinOpenApiClientTest.clientToken().willReturn(okJson(DouyinFixtures.text("api/client-token.json"))));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("kind", "open", "client-key", CLIENT_KEY, "client-secret", "0000aaaa1111bbbb2222cccc3333dddd",
                "api-base-url", channelBaseUrl);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(post(urlPathEqualTo("/oauth/client_token/"))
                .willReturn(okJson(DouyinFixtures.text("api/client-token-bad-secret.json"))));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("client-secret");
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        List<WebhookRequest> samples = new ArrayList<>();
        for (int i = 0; i < PUSHES.size(); i++) {
            byte[] body = DouyinFixtures.resource("open/" + PUSHES.get(i));
            samples.add(WebhookRequests.post(body)
                    .header("Content-Type", "application/json")
                    .header("Msg-Id", "6f1c0e2a-93b4-4d5e-8a7f-" + String.format("%012d", i + 1))
                    .header("X-Douyin-Signature", DouyinFixtures.sha1Hex(config.get("client-secret"), body))
                    .receivedAt(now)
                    .build());
        }
        return samples;
    }

    @Override
    protected Optional<WebhookRequest> signedWebhook(Map<String, String> config, byte[] body, Instant now) {
        return Optional.of(WebhookRequests.post(body)
                .header("Content-Type", "application/json")
                .header("Msg-Id", "6f1c0e2a-93b4-4d5e-8a7f-999999999999")
                .header("X-Douyin-Signature", DouyinFixtures.sha1Hex(config.get("client-secret"), body))
                .receivedAt(now)
                .build());
    }

    @Test
    void checkNamesTheAppOrWhatWasRejected() {
        stubValidCredentials(channel().getRuntimeInfo().getWireMock());
        try (ConnectorInstance instance = openInstance(validConfig(channelBaseUrl()))) {
            assertThat(instance.check()).isEqualTo(CheckResult.ok("Douyin accepted the credentials of client_key " + CLIENT_KEY));
        }
        channel().resetAll();
        stubBadCredentials(channel().getRuntimeInfo().getWireMock());
        try (ConnectorInstance instance = openInstance(badCredentialsConfig(channelBaseUrl()))) {
            assertThat(instance.check()).isEqualTo(CheckResult.failed(
                    "Douyin rejected the client-key/client-secret: 10013 client_key或者client_secret报错"));
        }
    }
}
