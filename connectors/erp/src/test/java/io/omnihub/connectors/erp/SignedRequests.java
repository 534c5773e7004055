package io.omnihub.connectors.erp;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Kingdee's signed-mode headers the way the WebAPI server would: recomputed from the request
 * as received, with code written apart from {@link KingdeeSigner} (the XOR key is derived as the
 * Python SDK derives it, the path encoded with {@link URLEncoder}), so a wrong signature fails the
 * match instead of agreeing with itself.
 */
final class SignedRequests {

    private SignedRequests() {
    }

    /** The Python SDK's obfuscated XOR key, random digits dropped and ROT13 applied. */
    static byte[] xorKey() {
        String obfuscated = "0054s397p6234378o09pn7q3r5qropr7";
        StringBuilder key = new StringBuilder();
        for (char c : obfuscated.toCharArray()) {
            key.append(Character.isLowerCase(c) ? (char) ('a' + (c - 'a' + 13) % 26) : c);
        }
        return key.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String clientSecret(String appId) {
        byte[] part = Base64.getDecoder().decode(appId.substring(appId.indexOf('_') + 1));
        byte[] key = xorKey();
        byte[] out = new byte[part.length];
        for (int i = 0; i < part.length; i++) {
            out[i] = (byte) (part[i] ^ key[i]);
        }
        return Base64.getEncoder().encodeToString(out);
    }

    static String apiSignature(String appId, String path, String nonce, String timestamp) {
        String content = String.join("\n", "POST", URLEncoder.encode(path, StandardCharsets.UTF_8), "",
                "x-api-nonce:" + nonce, "x-api-timestamp:" + timestamp, "");
        return hmacHexBase64(clientSecret(appId), content);
    }

    static String appData(String acctId, String user, int lcid, String org) {
        return String.join(",", acctId, user, Integer.toString(lcid), org);
    }

    /** Signs the plain appData text, not the Base64 header value. */
    static String kdSignature(String appId, String appSecret, String appData) {
        return hmacHexBase64(appSecret, appId + appData);
    }

    static String hmacHexBase64(String key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(content.getBytes(StandardCharsets.UTF_8))) {
                hex.append(String.format("%02x", b));
            }
            return Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Matches requests signed for these credentials at {@code epochSeconds}, listing what is wrong
     * in WireMock's near-miss report otherwise.
     */
    static ValueMatcher<Request> signedBy(String appId, String appSecret, String acctId, String user, int lcid,
                                          String org, long epochSeconds) {
        return request -> {
            List<String> wrong = problems(request, appId, appSecret, acctId, user, lcid, org, epochSeconds);
            return MatchResult.of(wrong.isEmpty());
        };
    }

    static List<String> problems(Request request, String appId, String appSecret, String acctId, String user, int lcid,
                                 String org, long epochSeconds) {
        List<String> wrong = new ArrayList<>();
        String ts = Long.toString(epochSeconds);
        String path = URI.create(request.getAbsoluteUrl()).getRawPath();
        String appData = appData(acctId, user, lcid, org);
        expect(wrong, request, "X-Api-ClientID", appId.substring(0, appId.indexOf('_')));
        expect(wrong, request, "X-Api-Auth-Version", "2.0");
        expect(wrong, request, "x-api-timestamp", ts);
        expect(wrong, request, "x-api-nonce", ts);
        expect(wrong, request, "x-api-signheaders", "x-api-timestamp,x-api-nonce");
        expect(wrong, request, "X-Api-Signature", apiSignature(appId, path, ts, ts));
        expect(wrong, request, "X-Kd-Appkey", appId);
        expect(wrong, request, "X-Kd-Appdata",
                Base64.getEncoder().encodeToString(appData.getBytes(StandardCharsets.UTF_8)));
        expect(wrong, request, "X-Kd-Signature", kdSignature(appId, appSecret, appData));
        return wrong;
    }

    private static void expect(List<String> wrong, Request request, String header, String value) {
        String actual = request.getHeader(header);
        if (!value.equals(actual)) {
            wrong.add(header + " was " + actual + ", expected " + value);
        }
    }
}
