package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * WireMock stand-ins for the 抖店, TOP and Kingdee APIs at hub level, answering as PROTOCOLS §4, §5
 * and §7.1 document. The connector modules' own tests verify every signature byte for byte; here
 * the stubs match the methods, paths and parameters that select an answer.
 */
final class ChannelServers {

    static final String DOUDIAN_APP_KEY = "1234567890123456789";
    static final String DOUDIAN_APP_SECRET = "test-app-secret";
    static final String KINGDEE_SERVICES = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.";

    private ChannelServers() {
    }

    // ---- 抖店 (PROTOCOLS §4) ----

    /** token.create for a self-use app of {@code shopId}. */
    static void doudianToken(WireMockServer server, long shopId, String accessToken) {
        server.stubFor(doudian("token.create")
                .withRequestBody(equalToJson("{\"code\":\"\",\"grant_type\":\"authorization_self\",\"shop_id\":" + shopId + "}"))
                .willReturn(json("{\"code\":10000,\"msg\":\"success\",\"data\":{\"access_token\":\"" + accessToken
                        + "\",\"expires_in\":604800,\"refresh_token\":\"" + accessToken + "-refresh\",\"shop_id\":\""
                        + shopId + "\",\"shop_name\":\"欧姆尼旗舰店\"}}")));
    }

    /** order.orderDetail and order.batchDecrypt for one paid order of one buyer. */
    static void doudianOrder(WireMockServer server, String accessToken, String orderId, long payAmountFen,
                             String buyerOpenId, String cipher, String phone) {
        server.stubFor(doudian("order.orderDetail")
                .withQueryParam("access_token", equalTo(accessToken))
                .withRequestBody(equalToJson("{\"shop_order_id\":\"" + orderId + "\"}"))
                .willReturn(json("{\"code\":10000,\"msg\":\"success\",\"data\":{\"shop_order_detail\":{\"order_id\":\"" + orderId
                        + "\",\"order_status\":2,\"pay_amount\":" + payAmountFen + ",\"order_amount\":" + payAmountFen
                        + ",\"pay_time\":1700000000,\"create_time\":1699999000,\"doudian_open_id\":\"" + buyerOpenId
                        + "\",\"encrypt_post_tel\":\"" + cipher + "\",\"mask_post_tel\":\"139****5678\","
                        + "\"sku_order_list\":[{\"sku_id\":1789012345678901234,\"product_name\":\"轻量缓震跑鞋\",\"item_num\":1,"
                        + "\"origin_amount\":" + payAmountFen + "}]}}}")));
        server.stubFor(doudian("order.batchDecrypt")
                .withQueryParam("access_token", equalTo(accessToken))
                .withRequestBody(containing(cipher))
                .willReturn(json("{\"code\":10000,\"msg\":\"success\",\"data\":{\"decrypt_infos\":[{\"auth_id\":\"" + orderId
                        + "\",\"cipher_text\":\"" + cipher + "\",\"decrypt_text\":\"" + phone
                        + "\",\"err_no\":0,\"is_virtual_tel\":false}],\"custom_err\":{\"err_code\":0,\"err_msg\":\"\"}}}")));
    }

    /** A 抖店 push of tag 101 (paid) for {@code orderId}, as the platform sends it. */
    static String doudianPaidPush(String msgId, String orderId, long payAmountFen, long shopId) {
        String data = "{\"biz\":2,\"order_status\":2,\"order_type\":0,\"p_id\":" + orderId + ",\"pay_amount\":" + payAmountFen
                + ",\"pay_time\":1700000000,\"pay_type\":1,\"s_ids\":[" + orderId + "],\"shop_id\":" + shopId + "}";
        return "[{\"tag\":\"101\",\"msg_id\":\"" + msgId + "\",\"data\":\"" + data.replace("\"", "\\\"") + "\"}]";
    }

    /** {@code event-sign} = md5_hex(app_key + raw body + app_secret). */
    static String doudianEventSign(byte[] body) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(DOUDIAN_APP_KEY.getBytes(StandardCharsets.UTF_8));
            md5.update(body);
            md5.update(DOUDIAN_APP_SECRET.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MappingBuilder doudian(String method) {
        return post(urlPathEqualTo("/" + method.replace('.', '/')))
                .withQueryParam("app_key", equalTo(DOUDIAN_APP_KEY))
                .withQueryParam("method", equalTo(method))
                .withQueryParam("v", equalTo("2"))
                .withQueryParam("sign_method", equalTo("hmac-sha256"))
                .withQueryParam("sign", matching("[0-9a-f]{64}"));
    }

    // ---- TOP (PROTOCOLS §5) ----

    /** taobao.user.seller.get for check(), answered for {@code session}. */
    static void topSeller(WireMockServer server, String session, String nick) {
        server.stubFor(top("taobao.user.seller.get").withFormParam("session", equalTo(session))
                .willReturn(json("{\"user_seller_get_response\":{\"user\":{\"nick\":\"" + nick + "\",\"user_id\":2200812345678}}}")));
    }

    /** An error_response for every call made with {@code session}. */
    static void topError(WireMockServer server, String session, int code, String msg, String subCode, String subMsg) {
        server.stubFor(post(urlPathEqualTo("/router/rest")).withFormParam("session", equalTo(session))
                .willReturn(json("{\"error_response\":{\"code\":" + code + ",\"msg\":\"" + msg + "\",\"sub_code\":\"" + subCode
                        + "\",\"sub_msg\":\"" + subMsg + "\",\"request_id\":\"e2e" + code + "\"}}")));
    }

    /** taobao.trades.sold.increment.get answering these trades (JSON objects) in one page. */
    static void topTrades(WireMockServer server, String session, String... trades) {
        server.stubFor(top("taobao.trades.sold.increment.get").withFormParam("session", equalTo(session))
                .withFormParam("use_has_next", equalTo("true"))
                .willReturn(json("{\"trades_sold_increment_get_response\":{\"has_next\":false,\"trades\":{\"trade\":["
                        + String.join(",", trades) + "]},\"request_id\":\"e2e-sync\"}}")));
    }

    static String topTrade(String tid, String status, String payment, String buyerOpenUid, String seller, String receiverMobile) {
        return "{\"tid\":\"" + tid + "\",\"status\":\"" + status + "\",\"payment\":\"" + payment + "\",\"total_fee\":\"" + payment
                + "\",\"created\":\"2026-11-20 09:30:00\",\"pay_time\":\"2026-11-20 09:31:00\",\"modified\":\"2026-11-20 09:31:00\","
                + "\"buyer_open_uid\":\"" + buyerOpenUid + "\",\"seller_nick\":\"" + seller + "\",\"receiver_name\":\"王小明\","
                + "\"receiver_mobile\":\"" + receiverMobile + "\",\"receiver_city\":\"上海市\"}";
    }

    private static MappingBuilder top(String method) {
        return post(urlPathEqualTo("/router/rest"))
                .withFormParam("method", equalTo(method))
                .withFormParam("format", equalTo("json"))
                .withFormParam("v", equalTo("2.0"))
                .withFormParam("sign", matching("[0-9A-F]{32,64}"));
    }

    // ---- Kingdee K/3 Cloud (PROTOCOLS §7.1) ----

    /** AuthService.ValidateUser: {@code password} logs in, anything else is refused as Kingdee does. */
    static void kingdeeLogin(WireMockServer server, String acctId, String user, String password, String sessionId) {
        server.stubFor(post(urlPathEqualTo(KINGDEE_SERVICES + "AuthService.ValidateUser.common.kdsvc"))
                .atPriority(5)
                .willReturn(json("{\"Message\":\"用户名或密码错误！\",\"MessageCode\":\"CheckPasswordPolicy\",\"LoginResultType\":0}")));
        server.stubFor(post(urlPathEqualTo(KINGDEE_SERVICES + "AuthService.ValidateUser.common.kdsvc"))
                .atPriority(1)
                .withRequestBody(equalToJson("{\"acctid\":\"" + acctId + "\",\"username\":\"" + user + "\",\"password\":\""
                        + password + "\",\"lcid\":2052}"))
                .willReturn(json("{\"Message\":null,\"MessageCode\":\"\",\"LoginResultType\":1,\"KDSVCSessionId\":\"" + sessionId + "\"}")
                        .withHeader("Set-Cookie", "kdservice-sessionid=" + sessionId + "; path=/")
                        .withHeader("Set-Cookie", "ASP.NET_SessionId=asp" + sessionId + "; path=/; HttpOnly")));
    }

    /** DynamicFormService.ExecuteBillQuery over {@code formId}: rows as arrays in FieldKeys order. */
    static void kingdeeRows(WireMockServer server, String sessionId, String formId, String rowsJson) {
        server.stubFor(post(urlPathEqualTo(KINGDEE_SERVICES + "DynamicFormService.ExecuteBillQuery.common.kdsvc"))
                .withCookie("kdservice-sessionid", equalTo(sessionId))
                .withRequestBody(matchingJsonPath("$.data.FormId", equalTo(formId)))
                .willReturn(json(rowsJson)));
    }

    /**
     * The lines query the poller makes after a page of sales orders (FieldKeys with
     * {@code FSaleOrderEntry_FEntryID}), answered {@code rowsJson}; registered after
     * {@link #kingdeeRows}, it takes those requests from the form's stub.
     */
    static void kingdeeLines(WireMockServer server, String sessionId, String rowsJson) {
        server.stubFor(post(urlPathEqualTo(KINGDEE_SERVICES + "DynamicFormService.ExecuteBillQuery.common.kdsvc"))
                .withCookie("kdservice-sessionid", equalTo(sessionId))
                .withRequestBody(matchingJsonPath("$.data.FormId", equalTo("SAL_SaleOrder")))
                .withRequestBody(matchingJsonPath("$.data.FieldKeys", containing("FSaleOrderEntry_FEntryID")))
                .withRequestBody(matchingJsonPath("$.data.FilterString", equalTo("FID IN (100501)")))
                .willReturn(json(rowsJson)));
    }

    // ---- any channel ----

    /** Every request answered {@code status}, above all other stubs: the channel is down. */
    static void down(WireMockServer server, int status) {
        server.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>")));
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }
}
