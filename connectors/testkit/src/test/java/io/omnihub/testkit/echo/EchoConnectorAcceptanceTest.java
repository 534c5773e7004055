package io.omnihub.testkit.echo;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import io.omnihub.testkit.WebhookRequests;
import io.omnihub.testkit.echo.EchoConnector.Flaw;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The acceptance suite run against the well-behaved {@link EchoConnector}: what a partner's test
 * looks like. The self-test's broken variants extend it and override {@link #flaws()}.
 */
class EchoConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    static final String API_KEY = "ek_live_7f3c9a1e5b2d4c6f";
    static final String SIGNING_SECRET = "whsec_2b8e4f6a0c1d3e5f7a9b";

    /** The defects of the connector under test; none here. */
    Set<Flaw> flaws() {
        return Set.of();
    }

    @Override
    protected ChannelConnector connector() {
        return new EchoConnector(flaws());
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("base-url", channelBaseUrl, "account-id", "acme-store",
                "api-key", API_KEY, "signing-secret", SIGNING_SECRET);
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(get(urlPathEqualTo("/ping"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(aResponse().withStatus(200).withBody("pong")));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("base-url", channelBaseUrl, "account-id", "acme-store",
                "api-key", "ek_live_0000revoked0000", "signing-secret", SIGNING_SECRET);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(get(urlPathEqualTo("/ping"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid api key\"}")));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("api-key", "signing-secret");
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        String secret = config.get("signing-secret");
        String timestamp = Long.toString(now.minusSeconds(2).getEpochSecond());
        String challenge = "c-8d41f0";
        WebhookRequest handshake = WebhookRequests.get()
                .query("challenge", challenge)
                .query("timestamp", timestamp)
                .query("signature", EchoConnector.sign(secret, timestamp, challenge.getBytes(StandardCharsets.UTF_8)))
                .receivedAt(now)
                .build();
        return List.of(handshake,
                push("push-follow-and-message.json", secret, timestamp, now),
                push("push-follow.json", secret, timestamp, now));
    }

    @Override
    protected Optional<WebhookRequest> signedWebhook(Map<String, String> config, byte[] body, Instant now) {
        String timestamp = Long.toString(now.minusSeconds(2).getEpochSecond());
        return Optional.of(WebhookRequests.post(body)
                .header("X-Echo-Timestamp", timestamp)
                .header("X-Echo-Signature", "sha256=" + EchoConnector.sign(config.get("signing-secret"), timestamp, body))
                .receivedAt(now)
                .build());
    }

    private WebhookRequest push(String file, String secret, String timestamp, Instant now) {
        byte[] body = WebhookRequests.resource(EchoConnectorAcceptanceTest.class, file);
        return WebhookRequests.post(body)
                .header("Content-Type", "application/json")
                .header("X-Echo-Timestamp", timestamp)
                .header("X-Echo-Signature", "sha256=" + EchoConnector.sign(secret, timestamp, body))
                .receivedAt(now)
                .build();
    }

    @Override
    protected Optional<Duration> replayTolerance() {
        return Optional.of(EchoConnector.REPLAY_TOLERANCE);
    }

    @Override
    protected boolean stubPollSource(WireMock channel) {
        channel.register(get(urlPathEqualTo("/v1/events")).withQueryParam("after", absent())
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson(page("events-page-1.json"))));
        channel.register(get(urlPathEqualTo("/v1/events")).withQueryParam("after", equalTo("2"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson(page("events-page-2.json"))));
        channel.register(get(urlPathEqualTo("/v1/events")).withQueryParam("after", matching("[3-9]|[1-9][0-9]+"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson(page("events-page-empty.json"))));
        return true;
    }

    static String page(String file) {
        return new String(WebhookRequests.resource(EchoConnectorAcceptanceTest.class, file), StandardCharsets.UTF_8);
    }

    @Override
    protected List<OutboundAction> actionSamples() {
        return List.of(new OutboundAction("enr-42:step-1", EchoConnector.MESSAGE,
                Identity.of(IdentityTypes.MEMBER_CARD, "M-0101"), Map.of("text", "The blue one is back in stock")));
    }

    @Override
    protected void stubActionAnswer(WireMock channel, ActionAnswer answer) {
        channel.register(post(urlPathMatching("/v1/(messages|sms)")).willReturn(switch (answer) {
            case ACCEPTED -> okJson("{\"message_id\":\"m-88\"}");
            case SERVER_ERROR -> aResponse().withStatus(502);
            case RATE_LIMITED -> aResponse().withStatus(429).withHeader("Retry-After", "20");
            case REJECTED -> aResponse().withStatus(422).withBody("{\"error\":\"unknown member\"}");
        }));
    }
}
