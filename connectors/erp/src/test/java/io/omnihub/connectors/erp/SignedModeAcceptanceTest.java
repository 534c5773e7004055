package io.omnihub.connectors.erp;

import static io.omnihub.connectors.erp.KingdeeFixtures.ACCT_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.APP_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.APP_SECRET;
import static io.omnihub.connectors.erp.KingdeeFixtures.USERNAME;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.List;
import java.util.Map;

/**
 * The acceptance suite with {@code auth-mode: signed}: no login; {@code check()} runs a one-row
 * customer query that the stub answers only when every signed header, recomputed independently
 * from the request, is right.
 */
class SignedModeAcceptanceTest extends KingdeeAcceptanceTest {

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return paged(KingdeeFixtures.signedConfig(channelBaseUrl));
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        // A custom matcher cannot travel over WireMock's admin API, so it goes to the server directly.
        channel().stubFor(KingdeeStubs.query("BD_Customer")
                .andMatching(SignedRequests.signedBy(APP_ID, APP_SECRET, ACCT_ID, USERNAME, 2052, "0", now().getEpochSecond()))
                .willReturn(KingdeeStubs.rows(List.of(List.of("CUST0231")))));
    }

    @Override
    void stubLogin() {
        // Signed mode logs in nowhere: every request carries its own signature.
    }

    @Override
    MappingBuilder authenticated(MappingBuilder call) {
        return call.andMatching(SignedRequests.signedBy(APP_ID, APP_SECRET, ACCT_ID, USERNAME, 2052, "0", now().getEpochSecond()));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        Map<String, String> config = KingdeeFixtures.signedConfig(channelBaseUrl);
        config.put("app-secret", "0000aaaa1111bbbb2222cccc3333dddd");
        return Map.copyOf(config);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(KingdeeStubs.query("BD_Customer").willReturn(KingdeeStubs.json("api/signature-refused-query.json")));
    }
}
