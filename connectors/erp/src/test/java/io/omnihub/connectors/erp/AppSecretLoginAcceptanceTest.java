package io.omnihub.connectors.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.Map;

/** The acceptance suite with {@code auth-mode: app-secret} (AuthService.LoginByAppSecret). */
class AppSecretLoginAcceptanceTest extends KingdeeAcceptanceTest {

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return paged(KingdeeFixtures.appSecretConfig(channelBaseUrl));
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(KingdeeStubs.loginByAppSecret().willReturn(KingdeeStubs.loginOk()));
    }

    @Override
    void stubLogin() {
        channel().stubFor(KingdeeStubs.loginByAppSecret().willReturn(KingdeeStubs.loginOk()));
    }

    @Override
    MappingBuilder authenticated(MappingBuilder call) {
        return KingdeeStubs.withSession(call);
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        Map<String, String> config = KingdeeFixtures.appSecretConfig(channelBaseUrl);
        config.put("app-secret", "0000aaaa1111bbbb2222cccc3333dddd");
        return Map.copyOf(config);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(post(urlPathEqualTo(KingdeeFixtures.LOGIN_BY_APP_SECRET))
                .willReturn(KingdeeStubs.json("api/login-app-refused.json")));
    }
}
