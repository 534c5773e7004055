package io.omnihub.connectors.douyin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_KEY;
import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.context;
import static io.omnihub.connectors.douyin.DouyinFixtures.openConfig;
import static io.omnihub.connectors.douyin.DouyinFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DouyinOpenApiClientTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String CLIENT_TOKEN = "clt.75c380db41e815978a733994d96f5d23RqilUxH48iobyWhbIOQFo";

    private TestConnectorContext ctx;
    private DouyinOpenApiClient api;

    @BeforeEach
    void setUp() {
        ctx = context(apiConfig(wm.baseUrl()));
        api = new DouyinOpenApiClient(ctx, DouyinConfig.from(ctx.config()));
    }

    private static Map<String, String> apiConfig(String baseUrl) {
        Map<String, String> config = openConfig();
        config.put("api-base-url", baseUrl);
        return config;
    }

    /** {@code POST /oauth/client_token/} exactly as Douyin documents it, for the sample app. */
    static MappingBuilder clientToken() {
        return post(urlPathEqualTo("/oauth/client_token/"))
                .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
                .withRequestBody(equalToJson("{\"grant_type\":\"client_credential\",\"client_key\":\"" + CLIENT_KEY
                        + "\",\"client_secret\":\"" + CLIENT_SECRET + "\"}"));
    }

    private static String error(long code, String description) {
        return "{\"data\":{\"description\":\"" + description + "\",\"error_code\":" + code + "},\"extra\":{\"error_code\":" + code
                + ",\"description\":\"" + description + "\",\"logid\":\"2025052010000001015903714833078B1B\"}}";
    }

    @Test
    void clientTokenIsFetchedAsDocumentedAndCachedForItsLifetime() {
        wm.stubFor(clientToken().willReturn(okJson(text("api/client-token.json"))));

        assertThat(api.clientToken()).isEqualTo(CLIENT_TOKEN);
        assertThat(api.clientToken()).isEqualTo(CLIENT_TOKEN);
        ctx.mutableClock().advance(Duration.ofSeconds(7201));
        api.clientToken();

        wm.verify(2, postRequestedFor(urlPathEqualTo("/oauth/client_token/")));
    }

    @Test
    void apiCallsSendTheTokenInTheAccessTokenHeader() {
        wm.stubFor(clientToken().willReturn(okJson(text("api/client-token.json"))));
        wm.stubFor(get(urlPathEqualTo("/goodlife/v1/trade/order/query/"))
                .withHeader("access-token", equalTo(CLIENT_TOKEN))
                .withQueryParam("order_id", equalTo("1065946966824669548"))
                .willReturn(okJson("{\"data\":{\"error_code\":0,\"description\":\"success\",\"orders\":[]},"
                        + "\"extra\":{\"error_code\":0,\"description\":\"\"}}")));

        assertThat(api.get("/goodlife/v1/trade/order/query/", Map.of("order_id", "1065946966824669548"))
                .path("orders").isArray()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {2190002, 2190008, 28001003, 28001008})
    void staleTokenIsFetchedAgainOnceThenTheCallSucceeds(long code) {
        wm.stubFor(clientToken().inScenario("rotation").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"data\":{\"access_token\":\"clt.OLD\",\"error_code\":0,\"expires_in\":7200},\"message\":\"success\"}"))
                .willSetStateTo("rotated"));
        wm.stubFor(clientToken().inScenario("rotation").whenScenarioStateIs("rotated")
                .willReturn(okJson(text("api/client-token.json"))));
        wm.stubFor(get(urlPathEqualTo("/goodlife/v1/x/")).withHeader("access-token", equalTo("clt.OLD"))
                .willReturn(okJson(error(code, "access_token过期"))));
        wm.stubFor(get(urlPathEqualTo("/goodlife/v1/x/")).withHeader("access-token", equalTo(CLIENT_TOKEN))
                .willReturn(okJson("{\"data\":{\"error_code\":0,\"ok\":true}}")));

        assertThat(api.get("/goodlife/v1/x/", Map.of()).path("ok").asBoolean()).isTrue();

        wm.verify(2, postRequestedFor(urlPathEqualTo("/oauth/client_token/")));
        wm.verify(2, getRequestedFor(urlPathEqualTo("/goodlife/v1/x/")));
    }

    @Test
    void freshTokenRefusedAgainIsAnAuthError() {
        wm.stubFor(clientToken().willReturn(okJson(text("api/client-token.json"))));
        wm.stubFor(get(urlPathEqualTo("/goodlife/v1/x/")).willReturn(okJson(error(28001008, "access_token过期"))));

        assertThatThrownBy(() -> api.get("/goodlife/v1/x/", Map.of())).isInstanceOf(AuthException.class);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/goodlife/v1/x/")));
    }

    @Test
    void wrongKeyOrSecretIsAConfigErrorWithoutTheSecret() {
        wm.stubFor(post(urlPathEqualTo("/oauth/client_token/")).willReturn(okJson(text("api/client-token-bad-secret.json"))));

        assertThatThrownBy(api::clientToken)
                .isInstanceOf(ConfigException.class)
                .hasMessage("Douyin rejected the client-key/client-secret: 10013 client_key或者client_secret报错")
                .hasMessageNotContaining(CLIENT_SECRET);
    }

    @ParameterizedTest
    @ValueSource(longs = {10002, 10003})
    void badParametersOrUnknownClientKeyAreConfigErrors(long code) {
        wm.stubFor(post(urlPathEqualTo("/oauth/client_token/")).willReturn(okJson(error(code, "client_key不存在"))));

        assertThatThrownBy(api::clientToken).isInstanceOf(ConfigException.class).hasMessageContaining(Long.toString(code));
    }

    @Test
    void tokenQuotaWaitsForTheFiveMinuteWindow() {
        wm.stubFor(post(urlPathEqualTo("/oauth/client_token/")).willReturn(okJson(error(10020, "超过调用次数"))));

        assertThatThrownBy(api::clientToken).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(5)));
    }

    @Test
    void serverErrorIsTransient() {
        wm.stubFor(post(urlPathEqualTo("/oauth/client_token/")).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(api::clientToken).isInstanceOf(TransientException.class).hasMessageContaining("503");
    }

    @Test
    void unreachableApiIsTransient() {
        TestConnectorContext dead = context(apiConfig(DouyinFixtures.deadBaseUrl()));

        assertThatThrownBy(() -> new DouyinOpenApiClient(dead, DouyinConfig.from(dead.config())).clientToken())
                .isInstanceOf(TransientException.class);
    }

    @Test
    void bodyThatIsNotJsonIsTransient() {
        wm.stubFor(post(urlPathEqualTo("/oauth/client_token/")).willReturn(ok("<html>gateway</html>")));

        assertThatThrownBy(api::clientToken).isInstanceOf(TransientException.class);
    }

    @Test
    void notFoundMeansTheBaseUrlIsWrong() {
        wm.stubFor(post(urlPathEqualTo("/oauth/client_token/")).willReturn(notFound()));

        assertThatThrownBy(api::clientToken).isInstanceOf(ConfigException.class).hasMessageContaining("api-base-url");
    }

    @Test
    void otherRefusalOfACallIsBadInput() {
        wm.stubFor(clientToken().willReturn(okJson(text("api/client-token.json"))));
        wm.stubFor(get(urlPathEqualTo("/goodlife/v1/x/")).willReturn(okJson(error(2100005, "参数不合法"))));

        assertThatThrownBy(() -> api.get("/goodlife/v1/x/", Map.of())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("2100005");
    }

    @Test
    void refreshBypassesTheCacheAndSharesTheNewToken() {
        wm.stubFor(clientToken().inScenario("check").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"data\":{\"access_token\":\"clt.FIRST\",\"error_code\":0,\"expires_in\":7200}}"))
                .willSetStateTo("second"));
        wm.stubFor(clientToken().inScenario("check").whenScenarioStateIs("second")
                .willReturn(okJson(text("api/client-token.json"))));

        assertThat(api.clientToken()).isEqualTo("clt.FIRST");
        api.refreshClientToken();

        assertThat(api.clientToken()).isEqualTo(CLIENT_TOKEN);
        assertThat(String.join("\n", ctx.logLines())).doesNotContain(CLIENT_TOKEN).doesNotContain(CLIENT_SECRET);
    }
}
