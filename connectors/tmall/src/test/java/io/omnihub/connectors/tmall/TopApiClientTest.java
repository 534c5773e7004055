package io.omnihub.connectors.tmall;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.tmall.TmallFixtures.APP_SECRET;
import static io.omnihub.connectors.tmall.TmallFixtures.SESSION;
import static io.omnihub.connectors.tmall.TmallFixtures.config;
import static io.omnihub.connectors.tmall.TmallFixtures.context;
import static io.omnihub.connectors.tmall.TopGateway.error;
import static io.omnihub.connectors.tmall.TopGateway.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connectors.tmall.TopErrors.TopRefusal;
import io.omnihub.testkit.TestConnectorContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopApiClientTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private TopGateway gateway;

    @BeforeEach
    void setUp() {
        gateway = new TopGateway(wm.getRuntimeInfo().getWireMock());
    }

    private static Map<String, String> gatewayConfig() {
        return config(TopGateway.url(wm.baseUrl()));
    }

    private static TopApiClient client(Map<String, String> config) {
        TestConnectorContext ctx = context(config);
        return new TopApiClient(ctx, TmallConfig.from(ctx.config()));
    }

    private void sellerGetAnswers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        gateway.stub(gateway.sessionCall(TopApiClient.USER_SELLER_GET), answer);
    }

    @Test
    void theCountedTradePageOmitsUseHasNextAndReadsTheTotal() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), okJson(
                "{\"trades_sold_increment_get_response\":{\"total_results\":231,\"trades\":{\"trade\":[{\"tid\":\"1\"}]}}}"));
        TopApiClient client = client(gatewayConfig());
        Instant from = Instant.parse("2025-05-20T01:30:00Z");

        TopApiClient.TradePage counted = client.tradesSoldIncrementCounted(from, from.plusSeconds(60), 3, 100);
        TopApiClient.TradePage cheap = client.tradesSoldIncrement(from, from.plusSeconds(60), 1, 100);

        assertThat(counted.totalResults()).hasValue(231);
        assertThat(counted.trades()).hasSize(1);
        assertThat(cheap.hasNext()).isFalse();
        List<Map<String, String>> forms = gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET);
        assertThat(forms.get(0)).containsEntry("start_modified", "2025-05-20 09:30:00")
                .containsEntry("end_modified", "2025-05-20 09:31:00").containsEntry("page_no", "3")
                .containsEntry("page_size", "100").doesNotContainKey("use_has_next");
        assertThat(forms.get(1)).containsEntry("use_has_next", "true").containsEntry("page_no", "1");
    }

    @Test
    void callsArePostedAsSignedFormsCarryingTheSystemParameters() {
        sellerGetAnswers(answer("api/user-seller-get.json"));

        assertThat(client(gatewayConfig()).sellerGet().path("nick").asText()).isEqualTo("欧姆尼官方旗舰店");

        Map<String, String> form = gateway.received(TopApiClient.USER_SELLER_GET).get(0);
        assertThat(form).containsEntry("method", "taobao.user.seller.get")
                .containsEntry("app_key", TmallFixtures.APP_KEY)
                .containsEntry("session", SESSION)
                // 02:10 UTC is 10:10 in Beijing
                .containsEntry("timestamp", "2025-05-20 10:10:00")
                .containsEntry("format", "json")
                .containsEntry("v", "2.0")
                .containsEntry("sign_method", "hmac-sha256")
                .containsEntry("fields", "user_id,nick,type");
        assertThat(form.get("sign")).matches("[0-9A-F]{64}");
        // Nothing in the URL: the session must not end up in access logs.
        assertThat(wm.getAllServeEvents().get(0).getRequest().getUrl()).isEqualTo(TopGateway.PATH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5", "hmac", "hmac-sha256"})
    void everySignMethodVerifiesAtTheGateway(String signMethod) {
        sellerGetAnswers(answer("api/user-seller-get.json"));
        Map<String, String> config = gatewayConfig();
        config.put("sign-method", signMethod);

        assertThat(client(config).sellerGet().path("user_id").asLong()).isEqualTo(2200812345678L);
        assertThat(gateway.received(TopApiClient.USER_SELLER_GET).get(0))
                .containsEntry("sign_method", signMethod)
                .extractingByKey("sign").asString().hasSize(signMethod.equals("hmac-sha256") ? 64 : 32);
    }

    @Test
    void theTimestampFollowsTheHubClockInBeijingTime() {
        sellerGetAnswers(answer("api/user-seller-get.json"));
        TestConnectorContext ctx = context(gatewayConfig());
        ctx.mutableClock().set(Instant.parse("2025-12-31T16:30:05Z"));

        new TopApiClient(ctx, TmallConfig.from(ctx.config())).sellerGet();

        assertThat(gateway.received(TopApiClient.USER_SELLER_GET).get(0)).containsEntry("timestamp", "2026-01-01 00:30:05");
    }

    @Test
    void queriesAreMarkedReadOnlyAndTmcCallsAreNot() {
        sellerGetAnswers(answer("api/user-seller-get.json"));
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONSUME), answer("api/tmc-consume-empty.json"));
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONFIRM), answer("api/tmc-confirm.json"));
        TestConnectorContext ctx = context(gatewayConfig());
        TopApiClient api = new TopApiClient(ctx, TmallConfig.from(ctx.config()));

        api.sellerGet();
        assertThat(api.tmcConsume("default", 100)).isEmpty();
        api.tmcConfirm("default", List.of("7100000000000000001"));

        List<HttpRequest> sent = ctx.sentRequests();
        assertThat(sent).extracting(HttpRequest::method).containsOnly("POST");
        assertThat(sent).extracting(HttpRequest::readOnly).containsExactly(true, false, false);
        assertThat(new String(sent.get(2).body(), StandardCharsets.UTF_8))
                .contains("s_message_ids=7100000000000000001").contains("group_name=default").doesNotContain("session=");
    }

    @Test
    void aWrongSecretIsRefusedByTheGatewayAndReportedAsConfiguration() {
        sellerGetAnswers(answer("api/user-seller-get.json"));
        Map<String, String> config = gatewayConfig();
        config.put("app-secret", "00000000000000000000000000000000");

        assertThatThrownBy(() -> client(config).sellerGet()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("signature").hasMessageContaining("'app-secret'");
    }

    @Test
    void anInvalidSessionAsksToAuthoriseTheShopAgain() {
        sellerGetAnswers(answer("api/error-invalid-session.json"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("session is invalid or expired")
                .hasMessageContaining("authorise the shop again")
                .hasMessageContaining("27 Invalid session")
                .hasMessageNotContaining(SESSION);
    }

    @ParameterizedTest
    @ValueSource(ints = {26, 27, 53})
    void sessionCodesAreConfigurationErrors(int code) {
        sellerGetAnswers(error(code, "Session problem", null, null));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("authorise the shop again");
    }

    @Test
    void anUnknownAppKeyIsAConfigurationError() {
        sellerGetAnswers(answer("api/error-invalid-app-key.json"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'app-key'").hasMessageContaining("29");
    }

    @Test
    void missingPermissionIsAConfigurationError() {
        sellerGetAnswers(error(11, "Insufficient isv permissions", "isv.permission-api-package-limit", "scope ids is 11"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("permission for taobao.user.seller.get");
    }

    @Test
    void aCallLimitWaitsForTheBanTimeTopStates() {
        sellerGetAnswers(answer("api/error-call-limited.json"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(71)));
    }

    @Test
    void aCallLimitWithoutBanTimeWaitsAMinute() {
        sellerGetAnswers(answer("api/error-call-limited-no-ban.json"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void aLimitSubCodeIsRateLimitedWhateverTheCode() {
        sellerGetAnswers(error(15, "Remote service error", "isv.api-call-limited", "This ban will last for 5 more seconds"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void http429IsRateLimited() {
        sellerGetAnswers(aResponse().withStatus(429));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void remoteServiceErrorsOfThePlatformAreTransient() {
        sellerGetAnswers(answer("api/error-remote-service.json"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(TransientException.class)
                .hasMessageContaining("isp.top-remote-connection-timeout");
    }

    @Test
    void serviceUnavailableIsTransient() {
        sellerGetAnswers(error(10, "Service Currently Unavailable", null, null));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(TransientException.class);
    }

    @Test
    void a5xxAnswerIsTransient() {
        sellerGetAnswers(TopGateway.serverError());

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 502");
    }

    @Test
    void anUnreachableGatewayIsTransient() {
        assertThatThrownBy(() -> client(config(TopGateway.deadUrl())).sellerGet()).isInstanceOf(TransientException.class);
    }

    @Test
    void aBodyThatIsNotJsonIsTransient() {
        sellerGetAnswers(aResponse().withStatus(200).withBody("<html>维护中</html>"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(TransientException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void anAnswerWithoutTheResponseObjectIsTransient() {
        sellerGetAnswers(okJson("{\"something_else_response\":{}}"));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(TransientException.class)
                .hasMessageContaining("user_seller_get_response");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api/error-invalid-arguments.json", "api/error-missing-arguments.json"})
    void badArgumentsAreBadInput(String answer) {
        sellerGetAnswers(answer(answer));

        assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOf(BadInputException.class)
                .hasMessageContaining("arguments");
    }

    @Test
    void aBusinessRefusalTellsItsSubCode() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET), answer("api/error-trade-not-exist.json"));

        assertThatThrownBy(() -> client(gatewayConfig()).tradeFullinfo("3712345678901234999"))
                .isInstanceOfSatisfying(TopRefusal.class, e -> {
                    assertThat(e.code()).isEqualTo(15);
                    assertThat(e.subCode()).isEqualTo("isv.trade-not-exist");
                });
    }

    @Test
    void errorMessagesNeverCarryTheSecretOrTheSession() {
        for (String answer : List.of("api/error-invalid-session.json", "api/error-invalid-signature.json",
                "api/error-call-limited.json", "api/error-remote-service.json", "api/error-invalid-arguments.json")) {
            wm.resetAll();
            gateway = new TopGateway(wm.getRuntimeInfo().getWireMock());
            sellerGetAnswers(answer(answer));
            assertThatThrownBy(() -> client(gatewayConfig()).sellerGet()).isInstanceOfSatisfying(ConnectorException.class,
                    e -> assertThat(e.getMessage()).doesNotContain(SESSION).doesNotContain(APP_SECRET));
        }
    }

    @Test
    void responseNamesFollowTopsRule() {
        assertThat(TopApiClient.responseName("taobao.trades.sold.increment.get")).isEqualTo("trades_sold_increment_get_response");
        assertThat(TopApiClient.responseName("taobao.tmc.messages.consume")).isEqualTo("tmc_messages_consume_response");
    }
}
