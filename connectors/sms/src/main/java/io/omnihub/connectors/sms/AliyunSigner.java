package io.omnihub.connectors.sms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Aliyun's RPC request signature (signature version 1.0, {@code HMAC-SHA1}), as the SMS API
 * ({@code dysmsapi}, version 2017-05-25) documents it:
 * <pre>
 * CanonicalizedQuery = join("&amp;", percent(key) + "=" + percent(value) for every parameter but Signature, sorted by key)
 * StringToSign       = HTTPMethod + "&amp;" + percent("/") + "&amp;" + percent(CanonicalizedQuery)
 * Signature          = Base64(HMAC-SHA1(AccessKeySecret + "&amp;", UTF-8(StringToSign)))
 * </pre>
 * where {@code percent} is RFC 3986 encoding of UTF-8: {@code URLEncoder} with {@code +} as
 * {@code %20}, {@code *} as {@code %2A} and {@code %7E} back to {@code ~}.
 *
 * <p>Why version 1.0 and not the newer V3 ({@code ACS3-HMAC-SHA256}): every published SMS example,
 * Aliyun's own SendSms signature walk-through included, is version 1.0, which gives this
 * implementation an official vector to be checked against ({@code AliyunSignerTest}); Dysmsapi
 * accepts both, and 1.0 is what Aliyun's classic SDKs still send.
 */
public final class AliyunSigner {

    private AliyunSigner() {
    }

    /** The {@code Signature} parameter (Base64, not yet percent-encoded) for {@code params} sent with {@code method}. */
    public static String sign(String method, Map<String, String> params, String accessKeySecret) {
        return base64HmacSha1(accessKeySecret + "&", stringToSign(method, params));
    }

    /** {@code METHOD&%2F&percent(sorted query)}. */
    static String stringToSign(String method, Map<String, String> params) {
        return method + "&" + percent("/") + "&" + percent(canonicalizedQuery(params));
    }

    /** Every parameter except {@code Signature}, sorted by name, percent-encoded, joined by {@code &}. */
    public static String canonicalizedQuery(Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        new TreeMap<>(params).forEach((key, value) -> {
            if (!"Signature".equals(key)) {
                query.add(percent(key) + "=" + percent(value));
            }
        });
        return query.toString();
    }

    /** RFC 3986 percent-encoding of UTF-8, as Aliyun's POP gateway expects it. */
    public static String percent(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String base64HmacSha1(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA1", e);
        }
    }
}
