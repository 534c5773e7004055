package io.omnihub.connectors.pos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Signs Pospal (银豹) OpenAPI requests: {@code data-signature} is the upper-case hex MD5 of the
 * app key followed by the exact JSON body bytes (PROTOCOLS §6). The body is signed as sent, never
 * re-encoded, so Chinese text and number formatting cannot make signature and body disagree.
 */
public final class PospalSigner {

    /** The header carrying the signature. */
    public static final String SIGNATURE_HEADER = "data-signature";
    /** The header carrying the request time, epoch milliseconds. */
    public static final String TIMESTAMP_HEADER = "time-stamp";

    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    private PospalSigner() {
    }

    /** {@code UPPER(hex(md5(utf8(appKey) + body)))}. */
    public static String sign(String appKey, byte[] body) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
        md5.update(appKey.getBytes(StandardCharsets.UTF_8));
        md5.update(body);
        return UPPER_HEX.formatHex(md5.digest());
    }
}
