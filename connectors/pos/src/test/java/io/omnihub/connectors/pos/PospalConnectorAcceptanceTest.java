package io.omnihub.connectors.pos;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OmniHub acceptance suite against a {@code cloud-api} instance. The kit's WireMock server
 * cannot load our signature matcher, so each stub expects the exact body the connector must send
 * and the signature computed here from those bytes: a wrong field, order or signature misses it.
 * The records are what the real poller reads, through {@link #stubPollSource}.
 *
 * <p>The action rules stay skipped: the connector offers no actions (it only reads from Pospal).
 */
class PospalConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    private static final String APP_ID = "7C0E4B1A9D3F4E2B8A6C5D0F1E2A3B4C";
    private static final String APP_KEY = "938475610284756102";

    @Override
    protected ChannelConnector connector() {
        return new PosConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("source", "cloud-api", "app-id", APP_ID, "app-key", APP_KEY, "api-base-url", channelBaseUrl,
                "brand", "acme", "store-id", "静安店");
    }

    /** {@code POST path} whose body is exactly {@code body}, signed with {@code appKey}. */
    private MappingBuilder signedExactly(String path, String body, String appKey) {
        return post(urlPathEqualTo(path))
                .withRequestBody(equalTo(body))
                .withHeader("data-signature", equalTo(PosFixtures.md5Upper(appKey, body.getBytes(StandardCharsets.UTF_8))))
                .withHeader("time-stamp", equalTo(Long.toString(now().toEpochMilli())));
    }

    /** check() asks for the last minute: 09:59:00 to 10:00:00 in Shanghai at the kit's now. */
    private static String checkBody(String appId) {
        return "{\"appId\":\"" + appId + "\",\"startTime\":\"2025-05-20 09:59:00\",\"endTime\":\"2025-05-20 10:00:00\"}";
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(signedExactly(PospalApiClient.TICKET_PAGES_PATH, checkBody(APP_ID), APP_KEY)
                .willReturn(okJson(PosFixtures.text("pospal/ticket-page-empty.json"))));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("source", "cloud-api", "app-id", APP_ID, "app-key", "111122223333444455", "api-base-url", channelBaseUrl);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH))
                .willReturn(okJson(PosFixtures.text("pospal/error-signature.json"))));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("app-key");
    }

    /**
     * {@code queryTicketPages} as Pospal answers the window the first poll asks for (the kit's now,
     * 10:00 in Shanghai, minus the default window-delay of 2 minutes and initial-lookback of one day):
     * the first page (no {@code postBackParameter}; a member sale and a walk-in sale, a full page of
     * {@code pageSize} 2), then the page asked for with the {@code postBackParameter} it handed back
     * (a member's return; not full, so the window is read). The next poll finds the window at the
     * horizon and asks nothing. Each stub expects the exact body and its signature. The member
     * lookups the normalizer makes are in {@link #stubNormalizerLookups}, which the kit calls for
     * the poll rules too.
     */
    @Override
    protected boolean stubPollSource(WireMock channel) {
        String first = "{\"appId\":\"" + APP_ID + "\",\"startTime\":\"2025-05-19 09:58:00\",\"endTime\":\"2025-05-20 09:58:00\"}";
        String second = first.substring(0, first.length() - 1)
                + ",\"postBackParameter\":{\"parameterType\":\"LAST_RESULT_MAX_ID\",\"parameterValue\":\"1747704615000017\"}}";
        channel.register(signedExactly(PospalApiClient.TICKET_PAGES_PATH, first, APP_KEY)
                .willReturn(okJson(PosFixtures.text("pospal/ticket-page-1.json"))));
        channel.register(signedExactly(PospalApiClient.TICKET_PAGES_PATH, second, APP_KEY)
                .willReturn(okJson(PosFixtures.text("pospal/ticket-page-2.json"))));
        return true;
    }

    /**
     * The checkpoint is a JSON object ({@link PospalCheckpoint}): ordered by {@code after}, and a
     * window being paged after the same {@code after} between windows. Pospal's
     * {@code postBackParameter} is an opaque cursor: two pages of one window are not ordered (the
     * kit still checks that no checkpoint already passed comes back).
     */
    @Override
    protected Optional<Comparator<String>> checkpointOrder() {
        return Optional.of(Comparator.comparing((String checkpoint) -> PospalCheckpoint.parse(checkpoint).after())
                .thenComparing(checkpoint -> PospalCheckpoint.parse(checkpoint).paging()));
    }

    /**
     * {@code queryByUid} for the two members of the polled sales, as the normalizer asks it (the
     * walk-in sale names none), with the exact body and its signature.
     */
    @Override
    protected void stubNormalizerLookups(WireMock channel) {
        for (String[] member : new String[][] {{"592384817498735216", "member-zhang.json"}, {"592384817498735299", "member-li.json"}}) {
            String body = "{\"appId\":\"" + APP_ID + "\",\"customerUid\":" + member[0] + "}";
            channel.register(signedExactly(PospalApiClient.CUSTOMER_BY_UID_PATH, body, APP_KEY)
                    .withRequestBody(equalToJson(body))
                    .willReturn(okJson(PosFixtures.text("pospal/" + member[1]))));
        }
    }
}
