package io.omnihub.connectors.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.Map;

/** The acceptance suite with {@code auth-mode: password} (AuthService.ValidateUser). */
class PasswordLoginAcceptanceTest extends KingdeeAcceptanceTest {

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return paged(KingdeeFixtures.passwordConfig(channelBaseUrl));
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(KingdeeStubs.validateUser().willReturn(KingdeeStubs.loginOk()));
    }

    @Override
    void stubLogin() {
        channel().stubFor(KingdeeStubs.validateUser().willReturn(KingdeeStubs.loginOk()));
    }

    @Override
    MappingBuilder authenticated(MappingBuilder call) {
        return KingdeeStubs.withSession(call);
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        Map<String, String> config = KingdeeFixtures.passwordConfig(channelBaseUrl);
        config.put("password", "Wrong#Pass-2024");
        return Map.copyOf(config);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(post(urlPathEqualTo(KingdeeFixtures.VALIDATE_USER)).willReturn(KingdeeStubs.json("api/login-refused.json")));
    }
}
