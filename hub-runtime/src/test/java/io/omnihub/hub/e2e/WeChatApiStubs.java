package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;

/** The WeChat and WeCom APIs as WireMock stubs, answering exactly as PROTOCOLS §1.4–§2 documents. */
final class WeChatApiStubs {

    private WeChatApiStubs() {
    }

    static void officialAccount(WireMockServer server, String appId, String openid, String unionid) {
        server.stubFor(get(urlPathEqualTo("/cgi-bin/token"))
                .withQueryParam("grant_type", equalTo("client_credential"))
                .withQueryParam("appid", equalTo(appId))
                .willReturn(json("{\"access_token\":\"ACCESS_TOKEN_OA\",\"expires_in\":7200}")));
        server.stubFor(get(urlPathEqualTo("/cgi-bin/user/info"))
                .withQueryParam("access_token", equalTo("ACCESS_TOKEN_OA"))
                .withQueryParam("openid", equalTo(openid))
                .willReturn(json("{\"subscribe\":1,\"openid\":\"" + openid + "\",\"language\":\"zh_CN\","
                        + "\"subscribe_time\":1382694957,\"unionid\":\" " + unionid + "\",\"remark\":\"\","
                        + "\"groupid\":0,\"tagid_list\":[128,2],\"subscribe_scene\":\"ADD_SCENE_QR_CODE\","
                        + "\"qr_scene\":98765,\"qr_scene_str\":\"\"}")));
    }

    static void weCom(WireMockServer server, String corpId, String externalUserId, String unionid, String remarkMobile) {
        server.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken"))
                .withQueryParam("corpid", equalTo(corpId))
                .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"ACCESS_TOKEN_CORP\",\"expires_in\":7200}")));
        server.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get"))
                .withQueryParam("access_token", equalTo("ACCESS_TOKEN_CORP"))
                .withQueryParam("external_userid", equalTo(externalUserId))
                .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"external_contact\":{\"external_userid\":\""
                        + externalUserId + "\",\"name\":\"李四\",\"type\":1,\"gender\":1,\"unionid\":\"" + unionid + "\"},"
                        + "\"follow_user\":[{\"userid\":\"zhangsan\",\"remark\":\"李四\",\"description\":\"\","
                        + "\"createtime\":1403610513,\"tags\":[],\"remark_mobiles\":[\"" + remarkMobile + "\"],"
                        + "\"state\":\"teststate\"}]}")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }
}
