package io.omnihub.connectors.pos;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OmniHub acceptance suite against a {@code cloud-api} instance. The kit's WireMock server
 * cannot load our signature matcher, so each stub expects the exact body the connector must send
 * and the signature computed here from those bytes: a wrong field, order or signature misses it.
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

    /** The tickets the real poller reads from two stubbed pages: a member sale, a walk-in sale, a member's return. */
    @Override
    protected List<RawRecord> recordSamples(Map<String, String> config, Instant now) {
        WireMock wm = channel().getRuntimeInfo().getWireMock();
        String first = "{\"appId\":\"" + APP_ID + "\",\"startTime\":\"2025-05-19 09:58:00\",\"endTime\":\"2025-05-20 09:58:00\"}";
        String second = first.substring(0, first.length() - 1)
                + ",\"postBackParameter\":{\"parameterType\":\"LAST_RESULT_MAX_ID\",\"parameterValue\":\"1747704615000017\"}}";
        wm.register(signedExactly(PospalApiClient.TICKET_PAGES_PATH, first, APP_KEY)
                .willReturn(okJson(PosFixtures.text("pospal/ticket-page-1.json"))));
        wm.register(signedExactly(PospalApiClient.TICKET_PAGES_PATH, second, APP_KEY)
                .willReturn(okJson(PosFixtures.text("pospal/ticket-page-2.json"))));
        List<RawRecord> records = new ArrayList<>();
        try (ConnectorInstance instance = openInstance(config)) {
            Optional<String> checkpoint = Optional.empty();
            PollResult result;
            do {
                result = instance.poller().orElseThrow().poll(checkpoint);
                records.addAll(result.records());
                checkpoint = Optional.of(result.nextCheckpoint());
            } while (result.hasMore());
        }
        return records;
    }

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
