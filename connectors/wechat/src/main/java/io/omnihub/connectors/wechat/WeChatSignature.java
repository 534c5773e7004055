package io.omnihub.connectors.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * WeChat's request signature: {@code sha1_hex(concat(sort(parts)))}.
 *
 * <p>With {@code (token, timestamp, nonce)} it is the {@code signature} of the Official Account
 * handshake and of every plaintext push; with the {@code Encrypt} value added it is the
 * {@code msg_signature} of safe mode and of WeCom.
 */
public final class WeChatSignature {

    private WeChatSignature() {
    }

    /** The lowercase hex signature of {@code parts}, which are sorted first as WeChat does. */
    public static String sign(String... parts) {
        String[] sorted = parts.clone();
        // Every part WeChat signs is ASCII (token, digits, base64), where String order is byte order.
        Arrays.sort(sorted);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (String part : sorted) {
                sha1.update(part.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }

    /**
     * Whether {@code presented} is the signature of {@code parts}. Compared in constant time so the
     * time taken does not tell a forger how many characters were right.
     */
    public static boolean matches(String presented, String... parts) {
        if (presented == null) {
            return false;
        }
        byte[] expected = sign(parts).getBytes(StandardCharsets.US_ASCII);
        byte[] given = presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
