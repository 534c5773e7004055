package io.omnihub.connectors.douyin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Douyin Open Platform webhook signature: header {@code X-Douyin-Signature} =
 * {@code sha1_hex(client_secret + raw_body_bytes)}, lowercase, as in Douyin's own Go sample
 * ({@code h.Write([]byte(clientSecret)); h.Write(body)}). It covers the exact bytes received, never
 * a re-serialised body, and carries no timestamp.
 */
public final class DouyinSignature {

    /** The header Douyin signs every push with. */
    public static final String HEADER = "X-Douyin-Signature";

    private DouyinSignature() {
    }

    /** The lowercase hex signature of {@code body} under {@code clientSecret}. */
    public static String sign(String clientSecret, byte[] body) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(clientSecret.getBytes(StandardCharsets.UTF_8));
            sha1.update(body);
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }

    /**
     * Whether {@code presented} is the signature of {@code body}. Compared in constant time so the
     * time taken does not tell a forger how many characters were right.
     */
    public static boolean matches(String presented, String clientSecret, byte[] body) {
        if (presented == null) {
            return false;
        }
        byte[] expected = sign(clientSecret, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
