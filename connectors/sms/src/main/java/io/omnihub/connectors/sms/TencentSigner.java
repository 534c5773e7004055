package io.omnihub.connectors.sms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tencent Cloud API 3.0 signature {@code TC3-HMAC-SHA256} for a JSON {@code POST} to {@code /},
 * signing the {@code content-type} and {@code host} headers:
 * <pre>
 * CanonicalRequest = "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\n\ncontent-type;host\n" + hex(sha256(body))
 * StringToSign     = "TC3-HMAC-SHA256\n" + timestamp + "\n" + date + "/" + service + "/tc3_request\n" + hex(sha256(CanonicalRequest))
 * SecretSigning    = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request")
 * Signature        = hex(HMAC(SecretSigning, StringToSign))
 * Authorization    = "TC3-HMAC-SHA256 Credential=" + SecretId + "/" + date + "/" + service + "/tc3_request, SignedHeaders=content-type;host, Signature=" + Signature
 * </pre>
 * {@code date} is the UTC date of {@code timestamp} (unix seconds), never a local one: a request
 * signed at 00:30 in Beijing carries the previous day. The body is hashed as the exact bytes sent.
 */
public final class TencentSigner {

    /**
     * The content type signed and sent, as Tencent's own SDKs send it. The server compares the signed
     * value with the header it receives, so it carries no {@code charset} parameter that a proxy or
     * server might rewrite ({@code utf-8} to {@code UTF-8}); JSON is UTF-8 anyway.
     */
    public static final String CONTENT_TYPE = "application/json";
    static final String ALGORITHM = "TC3-HMAC-SHA256";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private TencentSigner() {
    }

    /** The {@code Authorization} header for a POST of {@code body} to {@code host} at {@code timestamp}. */
    public static String authorization(String secretId, String secretKey, String service, String host,
                                       long timestamp, byte[] body) {
        return authorization(secretId, secretKey, service, CONTENT_TYPE, host, timestamp, body);
    }

    /** The same for another content type (the documentation's examples sign {@code application/json; charset=utf-8}). */
    static String authorization(String secretId, String secretKey, String service, String contentType, String host,
                                long timestamp, byte[] body) {
        String date = DATE.format(Instant.ofEpochSecond(timestamp));
        String scope = date + "/" + service + "/tc3_request";
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n"
                + sha256Hex(canonicalRequest(contentType, host, body).getBytes(StandardCharsets.UTF_8));
        byte[] secretDate = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        byte[] secretService = hmac(secretDate, service);
        byte[] secretSigning = hmac(secretService, "tc3_request");
        String signature = HexFormat.of().formatHex(hmac(secretSigning, stringToSign));
        return ALGORITHM + " Credential=" + secretId + "/" + scope + ", SignedHeaders=content-type;host, Signature=" + signature;
    }

    static String canonicalRequest(String contentType, String host, byte[] body) {
        return "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\n\ncontent-type;host\n" + sha256Hex(body);
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
