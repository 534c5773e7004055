package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.SECRET;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.testsupport.FreePort;
import java.util.Map;

/** WireMock answers in WeChat's exact JSON, and config pointing the connector at them. */
final class WeChatApiStubs {

    static final String ACCESS_TOKEN = "ACCESS_TOKEN";

    private WeChatApiStubs() {
    }

    static Map<String, String> mpApiConfig(WireMockExtension wm) {
        Map<String, String> config = WeChatFixtures.mpConfig();
        config.put("app-secret", SECRET);
        config.put("api-base-url", wm.baseUrl());
        return config;
    }

    static Map<String, String> wecomApiConfig(WireMockExtension wm) {
        Map<String, String> config = WeChatFixtures.wecomConfig();
        config.put("app-secret", SECRET);
        config.put("api-base-url", wm.baseUrl());
        return config;
    }

    /** {@code GET /cgi-bin/token} for the sample app and secret answers {@code {"access_token":"ACCESS_TOKEN",...}}. */
    static void stubToken(WireMockExtension wm) {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/token"))
                .withQueryParam("grant_type", equalTo("client_credential"))
                .withQueryParam("appid", equalTo(APP_ID))
                .withQueryParam("secret", equalTo(SECRET))
                .willReturn(json("api/token.json")));
    }

    static ResponseDefinitionBuilder json(String resource) {
        return okJson(WeChatFixtures.text(resource));
    }

    /** WeChat answers errors with HTTP 200 and an errcode. */
    static ResponseDefinitionBuilder error(int errcode, String errmsg) {
        return okJson("{\"errcode\":" + errcode + ",\"errmsg\":\"" + errmsg + "\"}");
    }

    static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(500).withBody("<html>500 Internal Server Error</html>");
    }

    /** A base URL where nothing listens. */
    static String deadBaseUrl() {
        return "http://127.0.0.1:" + FreePort.pick();
    }
}
