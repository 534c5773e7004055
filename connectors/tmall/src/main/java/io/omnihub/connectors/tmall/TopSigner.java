package io.omnihub.connectors.tmall;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs TOP requests as the Taobao SDK's {@code TaobaoUtils.signTopRequest} does (PROTOCOLS §5):
 * every parameter except {@code sign} with a non-empty value, sorted by key, concatenated as
 * {@code key+value} (then the request body, if any), hashed with the app secret and written as
 * uppercase hex.
 */
public final class TopSigner {

    /** The {@code sign_method} values TOP accepts. */
    public enum Method {
        /** {@code md5(secret + s + secret)}: the legacy method. */
        MD5("md5"),
        /** {@code HmacMD5(key = secret, s)}. */
        HMAC("hmac"),
        /** {@code HmacSHA256(key = secret, s)}. */
        HMAC_SHA256("hmac-sha256");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        /** The value of the {@code sign_method} parameter and of the {@code sign-method} key. */
        public String id() {
            return id;
        }

        /** @throws IllegalArgumentException for anything but md5, hmac and hmac-sha256 */
        public static Method of(String value) {
            String wanted = value.trim().toLowerCase(Locale.ROOT);
            for (Method method : values()) {
                if (method.id.equals(wanted)) {
                    return method;
                }
            }
            throw new IllegalArgumentException("unknown sign method '" + value + "'");
        }
    }

    private TopSigner() {
    }

    /** The {@code sign} of a request made of {@code params} alone (no body). */
    public static String sign(Map<String, String> params, String secret, Method method) {
        return sign(params, null, secret, method);
    }

    /**
     * The {@code sign} of a request.
     *
     * @param params every request parameter, system and application; {@code sign} itself is ignored
     * @param body   the request body that some APIs (batch, 奇门) sign too, or {@code null}
     * @param secret the app secret
     * @param method the sign method, also sent as {@code sign_method}
     * @return 32 (md5, hmac) or 64 (hmac-sha256) uppercase hex digits
     */
    public static String sign(Map<String, String> params, String body, String secret, Method method) {
        String text = canonical(params) + (body == null ? "" : body);
        byte[] digest = switch (method) {
            case MD5 -> md5((secret + text + secret).getBytes(StandardCharsets.UTF_8));
            case HMAC -> hmac("HmacMD5", secret, text);
            case HMAC_SHA256 -> hmac("HmacSHA256", secret, text);
        };
        return HexFormat.of().withUpperCase().formatHex(digest);
    }

    /** The string that is hashed: {@code key+value} of every non-empty parameter but {@code sign}, sorted by key. */
    static String canonical(Map<String, String> params) {
        // TreeMap orders by UTF-16 code units, which for TOP's ASCII keys is the ASCII order the SDK uses.
        StringBuilder text = new StringBuilder();
        new TreeMap<>(params).forEach((key, value) -> {
            if (!"sign".equals(key) && key != null && !key.isEmpty() && value != null && !value.isEmpty()) {
                text.append(key).append(value);
            }
        });
        return text.toString();
    }

    private static byte[] md5(byte[] input) {
        try {
            return MessageDigest.getInstance("MD5").digest(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM lacks MD5", e);
        }
    }

    private static byte[] hmac(String algorithm, String secret, String text) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM lacks " + algorithm, e);
        }
    }
}
