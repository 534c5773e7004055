package ${package};

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import io.omnihub.testkit.WebhookRequests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OmniHub acceptance suite against the ${channelName} connector, with WireMock standing in for
 * ${channelName}'s API. Every rule the hub relies on runs here: descriptor and config schema,
 * check, webhook signatures and replays, canonical events, deterministic ids, secrets, poll
 * checkpoints across a crash, and how action errors are classified.
 *
 * <p>{@code stubPollSource()} and {@code actionSamples()} feed the poll and action rules. Keep them
 * while the connector polls and sends actions: without them those rules fail, since the descriptor
 * declares {@code POLL} and {@code ACTIONS} and the instance offers a poller and a sender. Remove one
 * only together with the capability (descriptor and instance), and the kit skips its rules.
 *
 * <p>Two hooks of the kit are not needed here, but are for some channels: {@code resetPollSource()}
 * when reading consumes the source (files moved away in {@code committed()}, queue messages
 * confirmed), so that the crash rule can read it a second time; and {@code notApplicable()} when a
 * poll or action rule cannot apply to the channel (one that takes no idempotency key), with the
 * reason, which the kit reports as the rule's skip reason. Don't skip a rule from a
 * {@code @BeforeEach} of your own.
 */
class ${className}ConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    static final String API_KEY = "ak_live_5f1e9c3a7b2d4e60";
    static final String SIGNING_SECRET = "whsec_8c2a6e4f1b3d5a7c9e0f";

    @Override
    protected ChannelConnector connector() {
        return new ${className}Connector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("base-url", channelBaseUrl, "account-id", "acct-001",
                "api-key", API_KEY, "signing-secret", SIGNING_SECRET);
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(get(urlPathEqualTo("/v1/ping"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson("{\"ok\":true}")));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("base-url", channelBaseUrl, "account-id", "acct-001",
                "api-key", "ak_live_0000revoked00000", "signing-secret", SIGNING_SECRET);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(get(urlPathEqualTo("/v1/ping"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_api_key\"}")));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("api-key", "signing-secret");
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        return List.of(signed("member-created.json", config, now), signed("message-created.json", config, now));
    }

    /** A push as ${channelName} sends it, signed two seconds before {@code now}. */
    static WebhookRequest signed(String file, Map<String, String> config, Instant now) {
        return signed(WebhookRequests.resource(${className}ConnectorAcceptanceTest.class, file), config, now);
    }

    /** Any body, signed as ${channelName} signs: the kit sends hostile bodies this way. */
    @Override
    protected Optional<WebhookRequest> signedWebhook(Map<String, String> config, byte[] body, Instant now) {
        return Optional.of(signed(body, config, now));
    }

    private static WebhookRequest signed(byte[] body, Map<String, String> config, Instant now) {
        String timestamp = Long.toString(now.minusSeconds(2).getEpochSecond());
        return WebhookRequests.post(body)
                .header("Content-Type", "application/json")
                .header("X-Timestamp", timestamp)
                .header("X-Signature", "sha256=" + new ${className}Signer(config.get("signing-secret")).sign(timestamp, body))
                .receivedAt(now)
                .build();
    }

    @Override
    protected Optional<Duration> replayTolerance() {
        return Optional.of(${className}WebhookHandler.REPLAY_TOLERANCE);
    }

    @Override
    protected boolean stubPollSource(WireMock channel) {
        channel.register(get(urlPathEqualTo("/v1/changes")).withQueryParam("cursor", absent())
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson(file("changes-page-1.json"))));
        channel.register(get(urlPathEqualTo("/v1/changes")).withQueryParam("cursor", equalTo("1002"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson(file("changes-page-2.json"))));
        channel.register(get(urlPathEqualTo("/v1/changes")).withQueryParam("cursor", equalTo("1003"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson(file("changes-none.json"))));
        return true;
    }

    @Override
    protected List<OutboundAction> actionSamples() {
        return List.of(new OutboundAction("journey-7:step-2:M-30001", ${className}ActionSender.MESSAGE,
                Identity.of(IdentityTypes.MEMBER_CARD, "M-30001"), Map.of("text", "Your parcel left our warehouse")));
    }

    @Override
    protected void stubActionAnswer(WireMock channel, ActionAnswer answer) {
        channel.register(post(urlPathEqualTo("/v1/messages")).willReturn(switch (answer) {
            case ACCEPTED -> okJson("{\"message_id\":\"msg_9001\"}");
            case SERVER_ERROR -> aResponse().withStatus(503);
            case RATE_LIMITED -> aResponse().withStatus(429).withHeader("Retry-After", "30")
                    .withBody("{\"error\":\"rate_limited\"}");
            case REJECTED -> aResponse().withStatus(422).withBody("{\"error\":\"unknown_member\"}");
        }));
    }

    private static String file(String name) {
        return new String(WebhookRequests.resource(${className}ConnectorAcceptanceTest.class, name), StandardCharsets.UTF_8);
    }
}
