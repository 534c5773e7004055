package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Aliyun's SMS API (Dysmsapi, RPC style) at hub level: WireMock answering {@code SendSms} and
 * {@code QuerySmsSignList} as Aliyun does, and a request read as its server reads it: the form
 * parameters of a POST, and the signature they must carry, computed here from Aliyun's published
 * description (HMAC-SHA1 over {@code POST&%2F&<percent-encoded sorted parameters>}, key
 * {@code <secret>&}) independently of the plugin's signer.
 */
final class AliyunSmsApi {

    private AliyunSmsApi() {
    }

    /** Makes {@code server} answer {@code SendSms} with success and {@code QuerySmsSignList} with one approved sign, {@code signName}. */
    static void stub(WireMockServer server, String signName) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=SendSms")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"Message\":\"OK\",\"RequestId\":\"F655A8D5-B967-440B-8683-DAD6FF8DE990\","
                        + "\"BizId\":\"900619746936498440^0\",\"Code\":\"OK\"}")));
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=QuerySmsSignList")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"RequestId\":\"5A5C2D4E-0000-4000-8000-000000000002\",\"Code\":\"OK\",\"Message\":\"OK\","
                        + "\"TotalCount\":1,\"SmsSignList\":[{\"SignName\":\"" + signName + "\"}]}")));
    }

    /** The {@code SendSms} requests {@code server} received, oldest first. */
    static List<LoggedRequest> sendSmsRequests(WireMockServer server) {
        return server.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=SendSms")));
    }

    /** The parameters of an {@code application/x-www-form-urlencoded} body. */
    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** The {@code Signature} Aliyun expects for {@code params} (its own Signature left out) under {@code secret}. */
    static String signature(Map<String, String> params, String secret) {
        TreeMap<String, String> sorted = new TreeMap<>(params);
        sorted.remove("Signature");
        List<String> pairs = sorted.entrySet().stream().map(e -> percent(e.getKey()) + "=" + percent(e.getValue())).toList();
        String stringToSign = "POST&" + percent("/") + "&" + percent(String.join("&", pairs));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String percent(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
