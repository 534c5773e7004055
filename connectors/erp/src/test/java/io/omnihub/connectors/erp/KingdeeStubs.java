package io.omnihub.connectors.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.erp.KingdeeFixtures.ACCT_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.APP_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.APP_SECRET;
import static io.omnihub.connectors.erp.KingdeeFixtures.ASPNET_SESSION;
import static io.omnihub.connectors.erp.KingdeeFixtures.EXECUTE_BILL_QUERY;
import static io.omnihub.connectors.erp.KingdeeFixtures.LOGIN_BY_APP_SECRET;
import static io.omnihub.connectors.erp.KingdeeFixtures.PASSWORD;
import static io.omnihub.connectors.erp.KingdeeFixtures.SAVE;
import static io.omnihub.connectors.erp.KingdeeFixtures.SESSION_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.USERNAME;
import static io.omnihub.connectors.erp.KingdeeFixtures.VALIDATE_USER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.omnihub.testsupport.FreePort;
import java.util.List;

/** WireMock requests and answers in Kingdee's exact format. */
final class KingdeeStubs {

    private KingdeeStubs() {
    }

    /** {@code AuthService.ValidateUser} with exactly the configured data center, user, password and lcid. */
    static MappingBuilder validateUser() {
        return post(urlPathEqualTo(VALIDATE_USER))
                .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
                .withRequestBody(equalToJson("{\"acctid\":\"" + ACCT_ID + "\",\"username\":\"" + USERNAME
                        + "\",\"password\":\"" + PASSWORD + "\",\"lcid\":2052}"));
    }

    /** {@code AuthService.LoginByAppSecret} with exactly the configured data center, user, app and lcid. */
    static MappingBuilder loginByAppSecret() {
        return post(urlPathEqualTo(LOGIN_BY_APP_SECRET))
                .withRequestBody(equalToJson("{\"acctid\":\"" + ACCT_ID + "\",\"username\":\"" + USERNAME
                        + "\",\"appid\":\"" + APP_ID + "\",\"appsecret\":\"" + APP_SECRET + "\",\"lcid\":2052}"));
    }

    /** A successful login: the JSON answer plus the session cookies, as IIS sends them. */
    static ResponseDefinitionBuilder loginOk() {
        return loginOk(SESSION_ID, ASPNET_SESSION);
    }

    static ResponseDefinitionBuilder loginOk(String sessionId, String aspNetSession) {
        return okJson(KingdeeFixtures.text("api/login-ok.json").replace(SESSION_ID, sessionId))
                .withHeader("Set-Cookie", "kdservice-sessionid=" + sessionId + "; path=/")
                .withHeader("Set-Cookie", "ASP.NET_SessionId=" + aspNetSession + "; path=/; HttpOnly; SameSite=Lax");
    }

    /** An ExecuteBillQuery on {@code formId}. */
    static MappingBuilder query(String formId) {
        return post(urlPathEqualTo(EXECUTE_BILL_QUERY))
                .withRequestBody(matchingJsonPath("$.data.FormId", equalTo(formId)));
    }

    /** A Save of {@code formId}. */
    static MappingBuilder save(String formId) {
        return post(urlPathEqualTo(SAVE)).withRequestBody(matchingJsonPath("$.formid", equalTo(formId)));
    }

    /** Requires the login fixture's session cookies. */
    static MappingBuilder withSession(MappingBuilder request) {
        return withSession(request, SESSION_ID, ASPNET_SESSION);
    }

    static MappingBuilder withSession(MappingBuilder request, String sessionId, String aspNetSession) {
        return request.withCookie("kdservice-sessionid", equalTo(sessionId))
                .withCookie("ASP.NET_SessionId", equalTo(aspNetSession));
    }

    static ResponseDefinitionBuilder json(String resource) {
        return okJson(KingdeeFixtures.text(resource));
    }

    /** ExecuteBillQuery rows: each row an array of values in FieldKeys order. */
    static ResponseDefinitionBuilder rows(List<List<Object>> rows) {
        ArrayNode answer = KingdeeApiClient.JSON.createArrayNode();
        for (List<Object> row : rows) {
            ArrayNode values = answer.addArray();
            row.forEach(value -> values.add(KingdeeApiClient.JSON.valueToTree(value)));
        }
        return okJson(answer.toString());
    }

    static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(500).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h2>500 - 内部服务器错误。</h2></body></html>");
    }

    /** A base URL where nothing listens. */
    static String deadBaseUrl() {
        return "http://127.0.0.1:" + FreePort.pick();
    }
}
