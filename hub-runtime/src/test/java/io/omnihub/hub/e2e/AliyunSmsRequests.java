package io.omnihub.hub.e2e;

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
 * Aliyun's RPC API as its server reads a request: the form parameters of a POST, and the signature
 * they must carry, computed here from Aliyun's published description (HMAC-SHA1 over
 * {@code POST&%2F&<percent-encoded sorted parameters>}, key {@code <secret>&}) independently of the
 * plugin's signer.
 */
final class AliyunSmsRequests {

    private AliyunSmsRequests() {
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
