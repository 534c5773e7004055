package io.omnihub.connectors.douyin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.douyin.DoudianApiStubs.ACCESS_TOKEN;
import static io.omnihub.connectors.douyin.DoudianApiStubs.REFRESHED_TOKEN;
import static io.omnihub.connectors.douyin.DoudianApiStubs.REFRESH_TOKEN;
import static io.omnihub.connectors.douyin.DoudianApiStubs.api;
import static io.omnihub.connectors.douyin.DoudianApiStubs.batchDecrypt;
import static io.omnihub.connectors.douyin.DoudianApiStubs.error;
import static io.omnihub.connectors.douyin.DoudianApiStubs.json;
import static io.omnihub.connectors.douyin.DoudianApiStubs.orderDetail;
import static io.omnihub.connectors.douyin.DoudianApiStubs.serverError;
import static io.omnihub.connectors.douyin.DoudianApiStubs.tokenCreate;
import static io.omnihub.connectors.douyin.DouyinFixtures.APP_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.NOW;
import static io.omnihub.connectors.douyin.DouyinFixtures.P_ID;
import static io.omnihub.connectors.douyin.DouyinFixtures.context;
import static io.omnihub.connectors.douyin.DouyinFixtures.shopConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DoudianApiClientTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private TestConnectorContext ctx;
    private RecordingHttp recording;
    private DoudianApiClient api;

    @BeforeEach
    void setUp() {
        ctx = context(apiConfig(wm.baseUrl()));
        recording = new RecordingHttp(ctx);
        api = new DoudianApiClient(recording, DouyinConfig.from(ctx.config()));
    }

    private static Map<String, String> apiConfig(String baseUrl) {
        Map<String, String> config = shopConfig();
        config.put("api-base-url", baseUrl);
        return config;
    }

    private JsonNode detail() {
        return api.orderDetail(P_ID);
    }

    @Test
    void tokenCreateIsSignedWithHmacAndCarriesTheShopIdAsANumber() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));

        assertThat(api.accessToken()).isEqualTo(ACCESS_TOKEN);

        LoggedRequest sent = wm.findAll(postRequestedFor(urlPathEqualTo("/token/create"))).get(0);
        assertThat(sent.queryParameter("timestamp").firstValue()).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(sent.queryParameter("access_token").isPresent()).isFalse();
        assertThat(sent.getBodyAsString()).isEqualTo("{\"code\":\"\",\"grant_type\":\"authorization_self\",\"shop_id\":12345}");
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(sent.getHeader("x-open-no-old-err-code")).isEqualTo("1");
    }

    @Test
    void orderDetailCarriesTheUnsignedAccessTokenAndIsMarkedReadOnly() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));

        JsonNode detail = detail();

        assertThat(detail.path("order_id").asText()).isEqualTo(P_ID);
        assertThat(detail.path("doudian_open_id").asText()).isEqualTo(DouyinFixtures.DOUDIAN_OPEN_ID);
        List<HttpRequest> sent = recording.sent();
        assertThat(sent).extracting(r -> r.uri().getPath()).containsExactly("/token/create", "/order/orderDetail");
        assertThat(sent.get(0).idempotent()).as("token.create changes state").isFalse();
        assertThat(sent.get(1).idempotent()).as("order.orderDetail only reads").isTrue();
    }

    @Test
    void aWrongSignatureWouldNotMatchTheStub() {
        // The same request signed with another secret: the stub recomputes the sign and refuses it.
        Map<String, String> config = apiConfig(wm.baseUrl());
        config.put("app-secret", "another-app-secret");
        TestConnectorContext other = context(config);
        DoudianApiClient wrong = new DoudianApiClient(other, DouyinConfig.from(other.config()));
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));

        assertThatThrownBy(wrong::accessToken).isInstanceOf(ConfigException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void tokenIsObtainedOnceForSeveralCalls() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));

        for (int i = 0; i < 3; i++) {
            detail();
        }

        wm.verify(1, postRequestedFor(urlPathEqualTo("/token/create")));
        wm.verify(3, postRequestedFor(urlPathEqualTo("/order/orderDetail")));
        assertThat(ctx.tokenCache().fetchCount()).isEqualTo(1);
    }

    @Test
    void afterSevenDaysTheTokenIsRenewedWithTheRefreshToken() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(api("token.refresh")
                .withRequestBody(equalTo("{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + REFRESH_TOKEN + "\"}"))
                .willReturn(json("api/token-refresh.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));
        wm.stubFor(orderDetail(REFRESHED_TOKEN).willReturn(json("api/order-detail.json")));

        detail();
        ctx.mutableClock().advance(Duration.ofDays(7).plusSeconds(1));
        detail();

        wm.verify(1, postRequestedFor(urlPathEqualTo("/token/create")));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/token/refresh")));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/order/orderDetail")).withQueryParam("access_token", equalTo(REFRESHED_TOKEN)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"isv.access-token-expired", "isv.access-token-no-existed", "isv.access-token-invalid"})
    void staleTokenIsRefreshedOnceThenTheCallSucceeds(String subCode) {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(error(40003, "非法的参数", subCode, "access_token已过期")));
        wm.stubFor(api("token.refresh").willReturn(json("api/token-refresh.json")));
        wm.stubFor(orderDetail(REFRESHED_TOKEN).willReturn(json("api/order-detail.json")));

        assertThat(detail().path("order_id").asText()).isEqualTo(P_ID);

        wm.verify(1, postRequestedFor(urlPathEqualTo("/token/refresh"))
                .withRequestBody(equalTo("{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + REFRESH_TOKEN + "\"}")));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/order/orderDetail")));
        assertThat(ctx.tokens().get("doudian_access_token:1234567890123456789:12345")).contains(REFRESHED_TOKEN);
    }

    @Test
    void freshTokenRefusedAgainIsAnAuthError() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(api("token.refresh").willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(error(40003, "非法的参数", "isv.access-token-expired", "access_token已过期")));

        assertThatThrownBy(this::detail).isInstanceOf(AuthException.class).hasMessageContaining("isv.access-token-expired");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/order/orderDetail")));
    }

    @Test
    void expiredRefreshTokenFallsBackToTokenCreate() {
        ctx.tokens().put("doudian_refresh_token:1234567890123456789:12345", "rt-long-gone", Duration.ofDays(1));
        wm.stubFor(api("token.refresh").willReturn(error(50001, "平台处理失败", "dop.token-generate-failed:token-expired",
                "生成token失败，token已过期")));
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));

        assertThat(api.accessToken()).isEqualTo(ACCESS_TOKEN);

        wm.verify(1, postRequestedFor(urlPathEqualTo("/token/refresh")));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/token/create")));
        assertThat(ctx.tokens().get("doudian_refresh_token:1234567890123456789:12345")).contains(REFRESH_TOKEN);
    }

    @Test
    void wrongSecretAtTokenCreateIsAConfigErrorWithoutTheSecret() {
        wm.stubFor(api("token.create").willReturn(error(40003, "非法的参数", "isv.signature-invalid", "签名校验失败")));

        assertThatThrownBy(api::accessToken)
                .isInstanceOf(ConfigException.class)
                .hasMessage("抖店 rejected the app-key/app-secret: token.create answered 40003 非法的参数 "
                        + "(isv.signature-invalid 签名校验失败)")
                .hasMessageNotContaining(APP_SECRET);
    }

    @Test
    void secretNotMatchingTheAppKeyIsAConfigError() {
        wm.stubFor(api("token.create").willReturn(error(50001, "平台处理失败", "dop.token-generate-failed:app-secret-invalid",
                "生成token失败，app_key不存在或者与app_secret不匹配")));

        assertThatThrownBy(api::accessToken).isInstanceOf(ConfigException.class).hasMessageStartingWith("抖店 rejected the app-key/app-secret");
    }

    @Test
    void shopThatNoLongerAuthorizesTheAppIsAConfigErrorSayingSo() {
        wm.stubFor(api("token.create").willReturn(error(50001, "平台处理失败", "dop.token-generate-failed:no-authorization",
                "生成token失败，店铺授权已失效，请重新引导商家完成店铺授权")));

        assertThatThrownBy(api::accessToken).isInstanceOf(ConfigException.class)
                .hasMessageContaining("shop authorized the app").hasMessageContaining("no-authorization");
    }

    @Test
    void serviceUnavailableIsTransient() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(error(20000, "服务不可用", "dop.service-error", "内部错误")));

        assertThatThrownBy(this::detail).isInstanceOf(TransientException.class).hasMessageContaining("20000");
    }

    @Test
    void gatewayErrorIsTransient() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(serverError()));

        assertThatThrownBy(this::detail).isInstanceOf(TransientException.class).hasMessageContaining("502");
    }

    @Test
    void tokenEndpointDownIsTransient() {
        wm.stubFor(tokenCreate().willReturn(serverError()));

        assertThatThrownBy(this::detail).isInstanceOf(TransientException.class);
    }

    @Test
    void unreachableApiIsTransient() {
        TestConnectorContext dead = context(apiConfig(DouyinFixtures.deadBaseUrl()));
        DoudianApiClient client = new DoudianApiClient(dead, DouyinConfig.from(dead.config()));

        assertThatThrownBy(() -> client.orderDetail(P_ID)).isInstanceOf(TransientException.class);
    }

    @Test
    void answerThatIsNotTheOpenApisIsTransient() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(ok("<html>waf</html>")));

        assertThatThrownBy(this::detail).isInstanceOf(TransientException.class);
    }

    @Test
    void rateLimitWaitsAFewSeconds() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(error(60000, "触发限流，请稍后重试", "isv.api-flow-limit", "")));

        assertThatThrownBy(this::detail).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void http429IsRateLimitedToo() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(429)));

        assertThatThrownBy(this::detail).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void unknownOrderIsBadInputThatKeepsItsCode() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(error(50002, "业务处理失败", "isv.business-failed:2000", "订单不存在")));

        assertThatThrownBy(this::detail).isInstanceOfSatisfying(DoudianErrors.DoudianRefusal.class, e -> {
            assertThat(e).isInstanceOf(BadInputException.class);
            assertThat(e.code()).isEqualTo(50002);
            assertThat(e.getMessage()).contains("订单不存在");
        });
    }

    @ParameterizedTest
    @ValueSource(longs = {30001, 30002})
    void missingPermissionOrIpWhitelistIsAConfigError(long code) {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(error(code, "操作权限不足", "isv.app-permissions-insufficient", "")));

        assertThatThrownBy(this::detail).isInstanceOf(ConfigException.class).hasMessageContaining(Long.toString(code));
    }

    @Test
    void html404MeansTheBaseUrlIsWrong() {
        wm.stubFor(api("token.create").willReturn(com.github.tomakehurst.wiremock.client.WireMock.notFound().withBody("<html>404</html>")));

        assertThatThrownBy(api::accessToken).isInstanceOf(ConfigException.class).hasMessageContaining("api-base-url");
    }

    @Test
    void decryptReturnsTheEntryOfTheCipherAndIsReadOnly() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(json("api/batch-decrypt.json")));

        JsonNode info = api.decrypt(P_ID, DoudianApiStubs.cipher()).orElseThrow();

        assertThat(info.path("decrypt_text").asText()).isEqualTo("13912345678");
        assertThat(recording.sent().get(1).idempotent()).isTrue();
    }

    @Test
    void decryptRefusedAsAWholeIsARefusal() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(okJson("{\"code\":10000,\"msg\":\"success\",\"data\":"
                + "{\"decrypt_infos\":[],\"custom_err\":{\"err_code\":300001,\"err_msg\":\"解密额度已用完\"}}}")));

        assertThatThrownBy(() -> api.decrypt(P_ID, DoudianApiStubs.cipher()))
                .isInstanceOf(DoudianErrors.DoudianRefusal.class).hasMessageContaining("300001");
    }

    @Test
    void olderErrNoAnswersAreUnderstood() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(okJson("{\"err_no\":0,\"message\":\"success\",\"data\":"
                + DouyinJson.MAPPER.createObjectNode().set("shop_order_detail",
                        DouyinJson.MAPPER.createObjectNode().put("order_id", P_ID)) + "}")));

        assertThat(detail().path("order_id").asText()).isEqualTo(P_ID);
    }

    @Test
    void createTokenBypassesTheCacheAndSharesTheNewToken() {
        wm.stubFor(tokenCreate().inScenario("check").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"code\":10000,\"msg\":\"success\",\"data\":{\"access_token\":\"FIRST\",\"expires_in\":604800}}"))
                .willSetStateTo("second"));
        wm.stubFor(tokenCreate().inScenario("check").whenScenarioStateIs("second").willReturn(json("api/token-create.json")));

        assertThat(api.accessToken()).isEqualTo("FIRST");
        DoudianApiClient.ShopToken shop = api.createToken();

        assertThat(shop.shopName()).isEqualTo("跑者之家旗舰店");
        assertThat(shop.shopId()).isEqualTo("12345");
        assertThat(api.accessToken()).isEqualTo(ACCESS_TOKEN);
        wm.verify(2, postRequestedFor(urlPathEqualTo("/token/create")));
    }

    @Test
    void logsNeitherTokensNorTheSecret() {
        wm.stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        wm.stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));

        detail();

        assertThat(String.join("\n", ctx.logLines()))
                .doesNotContain(ACCESS_TOKEN).doesNotContain(REFRESH_TOKEN).doesNotContain(APP_SECRET);
    }
}
