package io.omnihub.connectors.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.erp.KingdeeFixtures.ACCT_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.APP_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.APP_SECRET;
import static io.omnihub.connectors.erp.KingdeeFixtures.ASPNET_SESSION;
import static io.omnihub.connectors.erp.KingdeeFixtures.EXECUTE_BILL_QUERY;
import static io.omnihub.connectors.erp.KingdeeFixtures.LOGIN_BY_APP_SECRET;
import static io.omnihub.connectors.erp.KingdeeFixtures.NOW;
import static io.omnihub.connectors.erp.KingdeeFixtures.PASSWORD;
import static io.omnihub.connectors.erp.KingdeeFixtures.SAVE;
import static io.omnihub.connectors.erp.KingdeeFixtures.SESSION_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.USERNAME;
import static io.omnihub.connectors.erp.KingdeeFixtures.VALIDATE_USER;
import static io.omnihub.connectors.erp.KingdeeFixtures.context;
import static io.omnihub.connectors.erp.KingdeeStubs.deadBaseUrl;
import static io.omnihub.connectors.erp.KingdeeStubs.json;
import static io.omnihub.connectors.erp.KingdeeStubs.loginByAppSecret;
import static io.omnihub.connectors.erp.KingdeeStubs.loginOk;
import static io.omnihub.connectors.erp.KingdeeStubs.query;
import static io.omnihub.connectors.erp.KingdeeStubs.rows;
import static io.omnihub.connectors.erp.KingdeeStubs.save;
import static io.omnihub.connectors.erp.KingdeeStubs.serverError;
import static io.omnihub.connectors.erp.KingdeeStubs.validateUser;
import static io.omnihub.connectors.erp.KingdeeStubs.withSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connectors.erp.KingdeeApiClient.BillQuery;
import io.omnihub.testkit.TestConnectorContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KingdeeApiClientTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final BillQuery CUSTOMERS = new BillQuery("BD_Customer", List.of("FNumber", "FName"),
            "FModifyDate>='2024-05-20 00:00:00'", "FModifyDate ASC,FCUSTID ASC", 0, 2);

    private static KingdeeApiClient client(TestConnectorContext node) {
        return new KingdeeApiClient(node, KingdeeConfig.from(node.config()));
    }

    private static TestConnectorContext node(Map<String, String> config) {
        return context(config);
    }

    private static ObjectNode customerModel() {
        ObjectNode data = KingdeeApiClient.JSON.createObjectNode();
        data.putArray("NeedUpDateFields");
        data.putObject("Model").put("FCUSTID", "0").put("FName", "王小明");
        return data;
    }

    @Test
    void passwordLoginThenEveryCallCarriesTheSessionCookies() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson("{\"data\":{\"FormId\":\"BD_Customer\",\"FieldKeys\":\"FNumber,FName\","
                        + "\"FilterString\":\"FModifyDate>='2024-05-20 00:00:00'\",\"OrderString\":\"FModifyDate ASC,FCUSTID ASC\","
                        + "\"TopRowCount\":0,\"StartRow\":0,\"Limit\":2}}"))
                .willReturn(rows(List.of(List.of("CUST0231", "杭州蓝湖贸易有限公司"), List.of("CUST0232", "王小明")))));
        KingdeeApiClient api = client(node(KingdeeFixtures.passwordConfig(wm.baseUrl())));

        List<ArrayNode> first = api.executeBillQuery(CUSTOMERS);
        api.executeBillQuery(CUSTOMERS);

        assertThat(first).hasSize(2);
        assertThat(first.get(1).get(1).asText()).isEqualTo("王小明");
        wm.verify(1, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
        wm.verify(2, postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY))
                .withHeader("Cookie", equalTo("kdservice-sessionid=" + SESSION_ID + "; ASP.NET_SessionId=" + ASPNET_SESSION)));
    }

    @Test
    void appSecretLoginSendsTheAppIdAndSecret() {
        wm.stubFor(loginByAppSecret().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer")).willReturn(rows(List.of())));

        client(node(KingdeeFixtures.appSecretConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS);

        wm.verify(1, postRequestedFor(urlPathEqualTo(LOGIN_BY_APP_SECRET)));
        wm.verify(0, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
    }

    @Test
    void sessionIdFromTheLoginBodyIsUsedWhenNoCookieIsSet() {
        wm.stubFor(validateUser().willReturn(json("api/login-ok.json")));
        wm.stubFor(query("BD_Customer").withCookie("kdservice-sessionid", equalTo(SESSION_ID)).willReturn(rows(List.of())));

        assertThat(client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS)).isEmpty();
    }

    @Test
    void signedModeSignsEveryRequestAndNeverLogsIn() {
        long now = NOW.getEpochSecond();
        wm.stubFor(query("BD_Customer")
                .andMatching(SignedRequests.signedBy(APP_ID, APP_SECRET, ACCT_ID, USERNAME, 2052, "0", now))
                .willReturn(rows(List.of(List.of("CUST0231", "杭州蓝湖贸易有限公司")))));
        wm.stubFor(save("BD_Customer")
                .andMatching(SignedRequests.signedBy(APP_ID, APP_SECRET, ACCT_ID, USERNAME, 2052, "0", now))
                .willReturn(json("api/save-customer-ok.json")));
        KingdeeApiClient api = client(node(KingdeeFixtures.signedConfig(wm.baseUrl())));

        assertThat(api.executeBillQuery(CUSTOMERS)).hasSize(1);
        assertThat(api.save("BD_Customer", customerModel()).path("Number").asText()).isEqualTo("CUST0233");

        wm.verify(0, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
        wm.verify(0, postRequestedFor(urlPathEqualTo(LOGIN_BY_APP_SECRET)));
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY))).get(0).containsHeader("Cookie")).isFalse();
    }

    @Test
    void signedStubRefusesAWrongSecretSoTheTestsCanTellASignatureFromNoise() {
        wm.stubFor(query("BD_Customer")
                .andMatching(SignedRequests.signedBy(APP_ID, APP_SECRET, ACCT_ID, USERNAME, 2052, "0", NOW.getEpochSecond()))
                .willReturn(rows(List.of())));
        Map<String, String> config = KingdeeFixtures.signedConfig(wm.baseUrl());
        config.put("app-secret", "00000000000000000000000000000000");

        assertThatThrownBy(() -> client(node(config)).executeBillQuery(CUSTOMERS)).isInstanceOf(ConfigException.class);
    }

    @Test
    void signedModeWithTheOrganisationNumberPutsItInTheAppData() {
        wm.stubFor(query("BD_Customer")
                .andMatching(SignedRequests.signedBy(APP_ID, APP_SECRET, ACCT_ID, USERNAME, 1033, "100", NOW.getEpochSecond()))
                .willReturn(rows(List.of())));
        Map<String, String> config = KingdeeFixtures.signedConfig(wm.baseUrl());
        config.put("org-number", "100");
        config.put("lcid", "1033");

        assertThat(client(node(config)).executeBillQuery(CUSTOMERS)).isEmpty();
    }

    @Test
    void aSecondHubNodeReusesTheSessionTheFirstOneLoggedInWith() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer")).willReturn(rows(List.of())));
        TestConnectorContext first = node(KingdeeFixtures.passwordConfig(wm.baseUrl()));
        TestConnectorContext second = context(KingdeeFixtures.passwordConfig(wm.baseUrl())).withTokensOf(first);

        client(first).executeBillQuery(CUSTOMERS);
        client(second).executeBillQuery(CUSTOMERS);

        wm.verify(1, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
        wm.verify(2, postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY)));
    }

    @Test
    void theSessionIsRenewedWhenItsLifetimeEnds() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer")).willReturn(rows(List.of())));
        TestConnectorContext ctx = context(KingdeeFixtures.passwordConfig(wm.baseUrl()));
        KingdeeApiClient api = client(ctx);

        api.executeBillQuery(CUSTOMERS);
        ctx.mutableClock().advance(KingdeeApiClient.SESSION_TTL.plusSeconds(1));
        api.executeBillQuery(CUSTOMERS);

        wm.verify(2, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
    }

    @Test
    void lostSessionLogsInAgainOnceAndRepeatsTheQuery() {
        wm.stubFor(validateUser().inScenario("relogin").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(loginOk("old-session-0001", "oldaspnet0001")).willSetStateTo("second login"));
        wm.stubFor(validateUser().inScenario("relogin").whenScenarioStateIs("second login")
                .willReturn(loginOk("new-session-0002", "newaspnet0002")));
        wm.stubFor(withSession(query("BD_Customer"), "old-session-0001", "oldaspnet0001").willReturn(json("api/session-lost-query.json")));
        wm.stubFor(withSession(query("BD_Customer"), "new-session-0002", "newaspnet0002")
                .willReturn(rows(List.of(List.of("CUST0231", "杭州蓝湖贸易有限公司")))));
        TestConnectorContext ctx = context(KingdeeFixtures.passwordConfig(wm.baseUrl()));

        assertThat(client(ctx).executeBillQuery(CUSTOMERS)).hasSize(1);

        wm.verify(2, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
        wm.verify(2, postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY)));
        assertThat(ctx.tokens().get("kingdee-session:password:" + ACCT_ID + ":" + USERNAME))
                .hasValueSatisfying(cookie -> assertThat(cookie).contains("new-session-0002"));
    }

    @Test
    void lostSessionOnSaveLogsInAgainAndSavesOnce() {
        wm.stubFor(validateUser().inScenario("relogin").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(loginOk("old-session-0001", "oldaspnet0001")).willSetStateTo("second login"));
        wm.stubFor(validateUser().inScenario("relogin").whenScenarioStateIs("second login")
                .willReturn(loginOk("new-session-0002", "newaspnet0002")));
        wm.stubFor(withSession(save("BD_Customer"), "old-session-0001", "oldaspnet0001").willReturn(json("api/session-lost-save.json")));
        wm.stubFor(withSession(save("BD_Customer"), "new-session-0002", "newaspnet0002").willReturn(json("api/save-customer-ok.json")));

        assertThat(client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).save("BD_Customer", customerModel())
                .path("Number").asText()).isEqualTo("CUST0233");
        wm.verify(2, postRequestedFor(urlPathEqualTo(SAVE)));
    }

    @Test
    void sessionLostInPlainTextIsRecognisedToo() {
        wm.stubFor(validateUser().inScenario("relogin").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(loginOk("old-session-0001", "oldaspnet0001")).willSetStateTo("second login"));
        wm.stubFor(validateUser().inScenario("relogin").whenScenarioStateIs("second login")
                .willReturn(loginOk("new-session-0002", "newaspnet0002")));
        wm.stubFor(withSession(query("BD_Customer"), "old-session-0001", "oldaspnet0001")
                .willReturn(ok("response_error:会话信息已丢失，请重新登录")));
        wm.stubFor(withSession(query("BD_Customer"), "new-session-0002", "newaspnet0002").willReturn(rows(List.of())));

        assertThat(client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS)).isEmpty();
        wm.verify(2, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
    }

    @Test
    void sessionLostRightAfterANewLoginIsAnAuthError() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(query("BD_Customer").willReturn(json("api/session-lost-query.json")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("会话信息已丢失");
        wm.verify(2, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
        wm.verify(2, postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY)));
    }

    @Test
    void refusedPasswordIsAConfigErrorQuotingKingdeeWithoutThePassword() {
        wm.stubFor(validateUser().willReturn(json("api/login-refused.json")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Kingdee refused the login of user 'crm_sync' to data center '" + ACCT_ID
                        + "' (password): 用户名或密码错误！ (LoginResultType 0)")
                .hasMessageNotContaining(PASSWORD);
        wm.verify(0, postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY)));
    }

    @Test
    void refusedAppSecretIsAConfigErrorWithoutTheSecret() {
        wm.stubFor(loginByAppSecret().willReturn(json("api/login-app-refused.json")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.appSecretConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("应用ID或应用密钥错误")
                .hasMessageNotContaining(APP_SECRET);
    }

    @Test
    void serverErrorIsTransient() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(query("BD_Customer").willReturn(serverError()));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 500");
    }

    @Test
    void loginServerErrorIsTransient() {
        wm.stubFor(validateUser().willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("503");
    }

    @Test
    void unreachableServerIsTransient() {
        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(deadBaseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(TransientException.class);
    }

    @Test
    void anHtmlPageInsteadOfJsonIsTransient() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(query("BD_Customer").willReturn(ok("<html><title>Service Unavailable</title></html>")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void http429IsRateLimitedForAsLongAsRetryAfterSays() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(query("BD_Customer").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
    }

    @Test
    void kingdeeCallLimitIsRateLimitedForAMinute() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(query("BD_Customer").willReturn(json("api/call-limit-query.json")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
                    assertThat(e.getMessage()).contains("接口调用次数超过限制");
                });
    }

    @Test
    void aFieldTheDataCenterLacksIsAConfigErrorNamingIt() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(query("BD_Customer").willReturn(json("api/field-missing-query.json")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("F_OMNI_ChannelOrderNo的字段不存在")
                .hasMessageContaining("MsgCode 9");
    }

    @Test
    void aWrongBaseUrlIsAConfigError() {
        wm.stubFor(validateUser().willReturn(aResponse().withStatus(404)));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("base-url");
    }

    @Test
    void aRowThatDoesNotMatchTheFieldKeysIsBadInput() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(query("BD_Customer").willReturn(okJson("[[\"CUST0231\"]]")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).executeBillQuery(CUSTOMERS))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("1 values for 2 FieldKeys");
    }

    @Test
    void refusedSaveIsBadInputListingEveryFieldAndMessage() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(save("SAL_SaleOrder").willReturn(json("api/save-failed.json")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).save("SAL_SaleOrder", customerModel()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("Kingdee refused to save SAL_SaleOrder: FMaterialId: 第1行物料编码「SKU-RUN-42」不存在或未审核; "
                        + "FSalerId: 字段“销售员”是必填项");
    }

    @Test
    void aRecordLockedByAnotherUserIsTransient() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(save("BD_Customer").willReturn(json("api/save-locked.json")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).save("BD_Customer", customerModel()))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("张会计");
    }

    @Test
    void missingPermissionIsAConfigError() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(save("BD_Customer").willReturn(json("api/no-permission-save.json")));

        assertThatThrownBy(() -> client(node(KingdeeFixtures.passwordConfig(wm.baseUrl()))).save("BD_Customer", customerModel()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("没有客户的新增权限");
    }

    @Test
    void queriesAndLoginsAreMarkedReadOnlyButSavesAreNot() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(query("BD_Customer").willReturn(rows(List.of())));
        wm.stubFor(save("BD_Customer").willReturn(json("api/save-customer-ok.json")));
        TestConnectorContext node = node(KingdeeFixtures.passwordConfig(wm.baseUrl()));
        KingdeeApiClient api = client(node);

        api.executeBillQuery(CUSTOMERS);
        api.save("BD_Customer", customerModel());

        List<HttpRequest> sent = node.sentRequests();
        assertThat(sent).extracting(r -> r.uri().getPath())
                .containsExactly(VALIDATE_USER, EXECUTE_BILL_QUERY, SAVE);
        assertThat(sent).extracting(HttpRequest::readOnly).containsExactly(true, true, false);
        assertThat(sent).allSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
    }

    @Test
    void chineseTextTravelsAsUtf8() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(save("BD_Customer").withRequestBody(equalToJson(
                "{\"formid\":\"BD_Customer\",\"data\":{\"NeedUpDateFields\":[],\"Model\":{\"FCUSTID\":\"0\",\"FName\":\"王小明\"}}}"))
                .willReturn(json("api/save-customer-ok.json")));
        TestConnectorContext node = node(KingdeeFixtures.passwordConfig(wm.baseUrl()));

        client(node).save("BD_Customer", customerModel());

        assertThat(new String(node.sentRequests().get(1).body(), StandardCharsets.UTF_8)).contains("王小明");
    }
}
