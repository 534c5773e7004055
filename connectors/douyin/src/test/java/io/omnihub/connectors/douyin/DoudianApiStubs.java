package io.omnihub.connectors.douyin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WireMock stand-ins for the 抖店 open API that check requests the way 抖店 does: the {@code sign}
 * is recomputed here, independently of {@link DoudianSigner}, from the raw body and the query, so a
 * wrong pattern, parameter or body fails the match. Register them on an in-process server
 * ({@code WireMockExtension.stubFor}): the signature matcher is Java code.
 */
final class DoudianApiStubs {

    static final String ACCESS_TOKEN = "b7d2e6f4-1c5a-4f0e-9a83-5d1c0e7b2a41";
    static final String REFRESH_TOKEN = "4f0a6c2e-8d3b-4e71-b5a9-7c2d1e0f3a68";
    static final String REFRESHED_TOKEN = "e1f3a5c7-2b4d-4f6a-8c0e-9d7b5a3c1e2f";
    static final String TOKEN_CREATE_BODY = "{\"code\":\"\",\"grant_type\":\"authorization_self\",\"shop_id\":12345}";
    static final String ORDER_DETAIL_BODY = "{\"shop_order_id\":\"6920000000000000000\"}";

    private DoudianApiStubs() {
    }

    /** A POST to {@code /<method with '/'>} naming {@code method} and signed for the sample app. */
    static MappingBuilder api(String method) {
        return post(urlPathEqualTo("/" + method.replace('.', '/')))
                .withQueryParam("method", equalTo(method))
                .withQueryParam("app_key", equalTo(DouyinFixtures.APP_KEY))
                .withQueryParam("v", equalTo("2"))
                .withQueryParam("sign_method", equalTo("hmac-sha256"))
                .andMatching(signedBy(DouyinFixtures.APP_KEY, DouyinFixtures.APP_SECRET));
    }

    /** {@code token.create} for the sample shop, answered with {@link #ACCESS_TOKEN}. */
    static MappingBuilder tokenCreate() {
        return api("token.create").withRequestBody(equalTo(TOKEN_CREATE_BODY));
    }

    /** {@code order.orderDetail} of the sample order with {@code token}. */
    static MappingBuilder orderDetail(String token) {
        return api("order.orderDetail").withQueryParam("access_token", equalTo(token))
                .withRequestBody(equalTo(ORDER_DETAIL_BODY));
    }

    /** {@code order.batchDecrypt} of the sample order's phone cipher with {@code token}. */
    static MappingBuilder batchDecrypt(String token) {
        return api("order.batchDecrypt").withQueryParam("access_token", equalTo(token))
                .withRequestBody(equalTo("{\"cipher_infos\":[{\"auth_id\":\"6920000000000000000\",\"cipher_text\":\""
                        + cipher() + "\"}]}"));
    }

    /** The encrypt_post_tel of {@code api/order-detail.json}. */
    static String cipher() {
        try {
            return DouyinJson.MAPPER.readTree(DouyinFixtures.resource("api/order-detail.json"))
                    .path("data").path("shop_order_detail").path("encrypt_post_tel").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ResponseDefinitionBuilder json(String resource) {
        return okJson(DouyinFixtures.text(resource));
    }

    /** 抖店 answers errors with HTTP 200 and a code. */
    static ResponseDefinitionBuilder error(long code, String msg, String subCode, String subMsg) {
        return okJson("{\"code\":" + code + ",\"msg\":\"" + msg + "\",\"sub_code\":\"" + subCode + "\",\"sub_msg\":\""
                + subMsg + "\",\"log_id\":\"20250520100000AB12CD34EF\",\"data\":{}}");
    }

    static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(502).withBody("<html><body>502 Bad Gateway</body></html>");
    }

    /** Whether a request's {@code sign} is the HMAC-SHA256 抖店 expects for its exact body and query. */
    static ValueMatcher<Request> signedBy(String appKey, String appSecret) {
        return request -> {
            QueryParameter method = request.queryParameter("method");
            QueryParameter timestamp = request.queryParameter("timestamp");
            QueryParameter sign = request.queryParameter("sign");
            if (!method.isPresent() || !timestamp.isPresent() || !sign.isPresent()
                    || !timestamp.firstValue().matches("[0-9]{10}")) {
                return MatchResult.noMatch();
            }
            String paramJson = new String(request.getBody(), StandardCharsets.UTF_8);
            String pattern = appSecret + "app_key" + appKey + "method" + method.firstValue() + "param_json" + paramJson
                    + "timestamp" + timestamp.firstValue() + "v2" + appSecret;
            return MatchResult.of(hmacSha256Hex(appSecret, pattern).equals(sign.firstValue()));
        };
    }

    static String hmacSha256Hex(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
