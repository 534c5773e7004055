package io.omnihub.connectors.douyin;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * 抖店's two signatures, both lowercase hex.
 *
 * <p><b>Request signing</b> (official Go SDK {@code utils.Sign}): the pattern
 * {@code app_secret + "app_key" + app_key + "method" + method + "param_json" + param_json
 * + "timestamp" + timestamp + "v2" + app_secret}, signed with HMAC-SHA256 keyed by the app_secret
 * ({@code sign_method=hmac-sha256}) or, legacy, hashed with MD5. The access_token is not signed.
 *
 * <p><b>Message push</b> (header {@code event-sign}): {@code md5_hex(app_key + raw_body + app_secret)}.
 * When a {@code sign-method: hmac-sha256} header is present, the same bytes are signed with
 * HMAC-SHA256 keyed by the app_secret, as for requests (this variant is unconfirmed by 抖店's docs).
 */
public final class DoudianSigner {

    /** How a request or push is signed. */
    public enum SignMethod {
        MD5("md5"),
        HMAC_SHA256("hmac-sha256");

        private final String id;

        SignMethod(String id) {
            this.id = id;
        }

        /** The value of {@code sign_method} / {@code sign-method}. */
        public String id() {
            return id;
        }

        /** The method named {@code value}, ignoring case; empty when it is no method 抖店 uses. */
        public static Optional<SignMethod> of(String value) {
            for (SignMethod method : values()) {
                if (method.id.equalsIgnoreCase(value.trim())) {
                    return Optional.of(method);
                }
            }
            return Optional.empty();
        }
    }

    private DoudianSigner() {
    }

    /** The string both request-sign methods sign. */
    public static String requestPattern(String appKey, String appSecret, String method, String timestamp, String paramJson) {
        return appSecret + "app_key" + appKey + "method" + method + "param_json" + paramJson
                + "timestamp" + timestamp + "v2" + appSecret;
    }

    /** The {@code sign} query parameter of a request. */
    public static String signRequest(SignMethod signMethod, String appKey, String appSecret, String method,
                                     String timestamp, String paramJson) {
        byte[] pattern = requestPattern(appKey, appSecret, method, timestamp, paramJson).getBytes(StandardCharsets.UTF_8);
        return digest(signMethod, appSecret, pattern);
    }

    /** The {@code event-sign} header of a push of {@code body}. */
    public static String signPush(SignMethod signMethod, String appKey, String appSecret, byte[] body) {
        byte[] key = appKey.getBytes(StandardCharsets.UTF_8);
        byte[] secret = appSecret.getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[key.length + body.length + secret.length];
        System.arraycopy(key, 0, signed, 0, key.length);
        System.arraycopy(body, 0, signed, key.length, body.length);
        System.arraycopy(secret, 0, signed, key.length + body.length, secret.length);
        return digest(signMethod, appSecret, signed);
    }

    /**
     * Whether {@code presented} equals {@code expected} (lowercase hex), ignoring case, in constant
     * time so the time taken does not tell a forger how many characters were right.
     */
    public static boolean matches(String presented, String expected) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(SignMethod method, String appSecret, byte[] bytes) {
        try {
            if (method == SignMethod.MD5) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(bytes));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK always has MD5 and HmacSHA256", e);
        }
    }
}
