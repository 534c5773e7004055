package ${package};

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * ${channelName}'s webhook signature: {@code X-Signature: sha256=<hex>}, the HMAC-SHA256 under the
 * signing secret of {@code <X-Timestamp> + "." + <raw body>}. Replace it with your channel's scheme.
 */
public final class ${className}Signer {

    private final byte[] secret;

    public ${className}Signer(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The lowercase hex signature of {@code timestamp + "." + body}. */
    public String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} (hex) is right, compared in constant time. */
    public boolean verify(String timestamp, byte[] body, String signature) {
        byte[] expected = sign(timestamp, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
