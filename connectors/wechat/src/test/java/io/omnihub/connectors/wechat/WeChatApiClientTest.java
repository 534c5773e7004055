package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.wechat.WeChatApiStubs.ACCESS_TOKEN;
import static io.omnihub.connectors.wechat.WeChatApiStubs.deadBaseUrl;
import static io.omnihub.connectors.wechat.WeChatApiStubs.error;
import static io.omnihub.connectors.wechat.WeChatApiStubs.json;
import static io.omnihub.connectors.wechat.WeChatApiStubs.mpApiConfig;
import static io.omnihub.connectors.wechat.WeChatApiStubs.serverError;
import static io.omnihub.connectors.wechat.WeChatApiStubs.stubToken;
import static io.omnihub.connectors.wechat.WeChatApiStubs.wecomApiConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.CORP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.SECRET;
import static io.omnihub.connectors.wechat.WeChatFixtures.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeChatApiClientTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private TestConnectorContext ctx;
    private WeChatApiClient api;

    @BeforeEach
    void setUp() {
        ctx = context(mpApiConfig(wm));
        api = new WeChatApiClient(ctx, WeChatConfig.from(ctx.config()));
    }

    private JsonNode userInfo() {
        return api.get("/cgi-bin/user/info", Map.of("openid", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "lang", "zh_CN"));
    }

    @Test
    void tokenIsFetchedOnceForSeveralCalls() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info"))
                .withQueryParam("access_token", equalTo(ACCESS_TOKEN))
                .willReturn(json("api/user-info.json")));

        for (int i = 0; i < 3; i++) {
            assertThat(userInfo().path("openid").asText()).isEqualTo("o6_bmjrPTlm6_2sgVt7hMZOPfL2M");
        }

        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/token")));
        wm.verify(3, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")).withQueryParam("access_token", equalTo(ACCESS_TOKEN)));
        assertThat(ctx.tokenCache().fetchCount()).isEqualTo(1);
    }

    @Test
    void tokenIsFetchedAgainWhenItsLifetimeEnds() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(json("api/user-info.json")));

        userInfo();
        ctx.mutableClock().advance(Duration.ofSeconds(7199));
        userInfo();
        ctx.mutableClock().advance(Duration.ofSeconds(2));
        userInfo();

        wm.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/token")));
    }

    @ParameterizedTest
    @ValueSource(ints = {40001, 40014, 42001})
    void staleTokenIsRefreshedOnceThenTheCallSucceeds(int errcode) {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token")).inScenario("rotation").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"OLD_TOKEN\",\"expires_in\":7200}")).willSetStateTo("rotated"));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token")).inScenario("rotation").whenScenarioStateIs("rotated")
                .willReturn(okJson("{\"access_token\":\"NEW_TOKEN\",\"expires_in\":7200}")));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).withQueryParam("access_token", equalTo("OLD_TOKEN"))
                .willReturn(error(errcode, "invalid credential, access_token is invalid or not latest rid: 6582a4b2-1f1ba3ac-2c1b4a1e")));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).withQueryParam("access_token", equalTo("NEW_TOKEN"))
                .willReturn(json("api/user-info.json")));

        assertThat(userInfo().path("subscribe").asInt()).isEqualTo(1);

        wm.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/token")));
        wm.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
        assertThat(ctx.tokens().get("access_token:" + WeChatFixtures.APP_ID)).contains("NEW_TOKEN");
    }

    @Test
    void freshTokenRefusedAgainIsAnAuthError() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(error(40001, "invalid credential")));

        assertThatThrownBy(this::userInfo).isInstanceOf(AuthException.class).hasMessageContaining("40001");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
    }

    @Test
    void systemBusyIsTransient() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(error(-1, "system error")));

        assertThatThrownBy(this::userInfo).isInstanceOf(TransientException.class).hasMessageContaining("-1");
    }

    @Test
    void serverErrorIsTransient() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(serverError()));

        assertThatThrownBy(this::userInfo).isInstanceOf(TransientException.class).hasMessageContaining("500");
    }

    @Test
    void tokenEndpointDownIsTransient() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(serverError()));

        assertThatThrownBy(this::userInfo).isInstanceOf(TransientException.class);
    }

    @Test
    void unreachableApiIsTransient() {
        Map<String, String> config = mpApiConfig(wm);
        config.put("api-base-url", deadBaseUrl());
        TestConnectorContext dead = context(config);
        WeChatApiClient client = new WeChatApiClient(dead, WeChatConfig.from(dead.config()));

        assertThatThrownBy(() -> client.get("/cgi-bin/user/info", Map.of("openid", "x")))
                .isInstanceOf(TransientException.class);
    }

    @Test
    void bodyThatIsNotJsonIsTransient() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.ok("<html>gateway</html>")));

        assertThatThrownBy(this::userInfo).isInstanceOf(TransientException.class);
    }

    @Test
    void minuteQuotaWaitsAMinute() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info"))
                .willReturn(error(45011, "api minute-quota reach limit  mustslower  retry next minute")));

        assertThatThrownBy(this::userInfo).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void dailyQuotaWaitsUntilMidnightInShanghai() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info"))
                .willReturn(error(45009, "reach max api daily quota limit rid: 60fa6713-49187ba1-7a8cf8a7")));
        ctx.mutableClock().set(OffsetDateTime.parse("2025-03-01T22:30:00+08:00").toInstant());

        assertThatThrownBy(this::userInfo).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(90)));
    }

    @Test
    void invalidAppIdAtTokenFetchIsAConfigErrorWithoutTheSecret() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(error(40013, "invalid appid")));

        assertThatThrownBy(this::userInfo)
                .isInstanceOf(ConfigException.class)
                .hasMessage("WeChat rejected the credentials: 40013 invalid appid")
                .hasMessageNotContaining(SECRET);
    }

    @ParameterizedTest
    @ValueSource(ints = {40001, 40125, 40164, 41004})
    void wrongSecretOrWhitelistAtTokenFetchIsAConfigError(int errcode) {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(error(errcode, "invalid appsecret")));

        assertThatThrownBy(this::userInfo)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(String.valueOf(errcode))
                .hasMessageNotContaining(SECRET);
        wm.verify(0, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
    }

    @Test
    void invalidOpenidIsBadInput() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(error(40003, "invalid openid")));

        assertThatThrownBy(this::userInfo).isInstanceOf(BadInputException.class).hasMessageContaining("40003");
    }

    @Test
    void noSecretMeansNoApiCalls() {
        Map<String, String> config = mpApiConfig(wm);
        config.remove("app-secret");
        TestConnectorContext noSecret = context(config);
        WeChatApiClient client = new WeChatApiClient(noSecret, WeChatConfig.from(noSecret.config()));

        assertThatThrownBy(client::accessToken).isInstanceOf(ConfigException.class).hasMessageContaining("app-secret");
        wm.verify(0, getRequestedFor(urlPathEqualTo("/cgi-bin/token")));
    }

    @Test
    void wecomFetchesItsTokenFromGettoken() {
        TestConnectorContext wecomCtx = context(wecomApiConfig(wm));
        WeChatApiClient wecom = new WeChatApiClient(wecomCtx, WeChatConfig.from(wecomCtx.config()));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken"))
                .withQueryParam("corpid", equalTo(CORP_ID))
                .withQueryParam("corpsecret", equalTo(SECRET))
                .willReturn(json("api/wecom-gettoken.json")));

        assertThat(wecom.accessToken()).isEqualTo("WECOM_ACCESS_TOKEN");
    }

    @Test
    void refreshBypassesTheCacheAndSharesTheNewToken() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token")).inScenario("check").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"FIRST\",\"expires_in\":7200}")).willSetStateTo("second"));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token")).inScenario("check").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"SECOND\",\"expires_in\":7200}")));

        assertThat(api.accessToken()).isEqualTo("FIRST");
        api.refreshToken();

        assertThat(api.accessToken()).isEqualTo("SECOND");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/token")));
    }
}
