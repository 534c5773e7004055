package io.omnihub.connectors.sms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Aliyun's SMS endpoint as WireMock plays it: form POSTs to {@code /}, JSON answers as Dysmsapi sends them. */
final class AliyunSmsStubs {

    static final String ACCESS_KEY_ID = "LTAI5tQ8kRm3Zp7wXy2NcA9v";
    static final String ACCESS_KEY_SECRET = "Wk8pZr2Lm5Tq9Xv3Nb7Hc1Jd4Fg6Sa";
    static final String CALLBACK_KEY = "cbk_9f3a7d21c5e84b60a2f1";
    static final String SIGN_NAME = "奥米商城";

    private AliyunSmsStubs() {
    }

    static Map<String, String> config(String baseUrl) {
        return Map.of("kind", "aliyun", "access-key-id", ACCESS_KEY_ID, "access-key-secret", ACCESS_KEY_SECRET,
                "sign-name", SIGN_NAME, "callback-key", CALLBACK_KEY, "api-base-url", baseUrl);
    }

    /** A POST of {@code action} by this instance's key, with Aliyun's common RPC parameters. */
    static MappingBuilder action(String action, String accessKeyId) {
        return post(urlEqualTo("/"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(containing("Action=" + action))
                .withRequestBody(containing("AccessKeyId=" + accessKeyId))
                .withRequestBody(containing("Format=JSON"))
                .withRequestBody(containing("SignatureMethod=HMAC-SHA1"))
                .withRequestBody(containing("SignatureVersion=1.0"))
                .withRequestBody(containing("Version=2017-05-25"))
                .withRequestBody(containing("Signature="));
    }

    /** Dysmsapi's answer to an accepted SendSms ({@code sms/api/aliyun-send-sms-ok.json}) naming {@code bizId}. */
    static ResponseDefinitionBuilder sent(String bizId) {
        return okJson(recorded("aliyun-send-sms-ok.json").replace("900619746936498440^0", bizId));
    }

    /** An error as Dysmsapi answers it: business errors with 200, gateway errors with their HTTP status. */
    static ResponseDefinitionBuilder error(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=utf-8")
                .withBody("{\"Message\":\"" + message + "\",\"RequestId\":\"A1B2C3D4-0000-4000-8000-000000000001\",\"Code\":\""
                        + code + "\"}");
    }

    static void stubSignList(WireMock channel, String accessKeyId) {
        channel.register(action("QuerySmsSignList", accessKeyId).willReturn(okJson(recorded("aliyun-sign-list.json"))));
    }

    /** A recorded Dysmsapi answer under {@code sms/api/} (the demo's simulated Aliyun answers with the same files). */
    private static String recorded(String file) {
        try (InputStream in = AliyunSmsStubs.class.getResourceAsStream("/sms/api/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no recorded answer sms/api/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A form body as the server reads it: every parameter once, URL-decoded. */
    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
