package io.omnihub.connectors.sms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.Map;

/** Tencent Cloud's SMS endpoint as WireMock plays it: API 3.0 JSON POSTs to {@code /}. */
final class TencentSmsStubs {

    static final String SECRET_ID = "AKIDq7Xr2Lm5Tz9Wc3Nb8Hv1Jd4Fg6Sa0Pe";
    static final String SECRET_KEY = "Vb4Nm8Qw2Er6Ty0Ui3Op7As1Df5Gh9Jk";
    static final String SDK_APP_ID = "1400787878";
    static final String CALLBACK_KEY = "cbk_3e1b8c57a9d24f06b7e2";

    private TencentSmsStubs() {
    }

    static Map<String, String> config(String baseUrl) {
        return Map.of("kind", "tencent", "secret-id", SECRET_ID, "secret-key", SECRET_KEY, "sdk-app-id", SDK_APP_ID,
                "sign-name", "奥米商城", "callback-key", CALLBACK_KEY, "api-base-url", baseUrl);
    }

    /** A POST of {@code action}, version 2021-01-11, signed TC3-HMAC-SHA256 by {@code secretId}. */
    static MappingBuilder action(String action, String secretId) {
        return post(urlEqualTo("/"))
                .withHeader("Content-Type", equalTo(TencentSigner.CONTENT_TYPE))
                .withHeader("X-TC-Action", equalTo(action))
                .withHeader("X-TC-Version", equalTo("2021-01-11"))
                .withHeader("X-TC-Region", equalTo("ap-guangzhou"))
                .withHeader("X-TC-Timestamp", matching("\\d{10}"))
                .withHeader("Authorization", matching("TC3-HMAC-SHA256 Credential=" + secretId
                        + "/\\d{4}-\\d{2}-\\d{2}/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}"));
    }

    static ResponseDefinitionBuilder sent(String serialNo, String sessionContext) {
        return okJson("{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":\"" + serialNo + "\",\"PhoneNumber\":\"+8613800138000\","
                + "\"Fee\":1,\"SessionContext\":\"" + sessionContext + "\",\"Code\":\"Ok\",\"Message\":\"send success\","
                + "\"IsoCode\":\"CN\"}],\"RequestId\":\"a0aabda6-cf91-4f3e-a81f-9198114a2279\"}}");
    }

    /** One number refused inside a successful request, as SendSms reports it. */
    static ResponseDefinitionBuilder numberRefused(String code, String message) {
        return okJson("{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":\"\",\"PhoneNumber\":\"+8613800138000\",\"Fee\":0,"
                + "\"SessionContext\":\"\",\"Code\":\"" + code + "\",\"Message\":\"" + message + "\",\"IsoCode\":\"CN\"}],"
                + "\"RequestId\":\"b1bbcdb7-0000-4000-8000-000000000002\"}}");
    }

    /** The whole request refused: {@code Response.Error}, HTTP 200 as API 3.0 answers. */
    static ResponseDefinitionBuilder error(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"Response\":{\"Error\":{\"Code\":\"" + code + "\",\"Message\":\"" + message + "\"},"
                        + "\"RequestId\":\"ed93f3cb-f35e-473f-b9f3-0d451b8b79c6\"}}");
    }
}
