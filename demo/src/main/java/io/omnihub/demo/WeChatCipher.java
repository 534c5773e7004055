package io.omnihub.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's push crypto as the WeChat and WeCom servers apply it (PROTOCOLS §1.1, §1.3): the
 * signatures over token, timestamp, nonce (and the ciphertext), and safe mode's AES-256-CBC with
 * PKCS#7 padding to 32 bytes. Written apart from the connector's own, and checked against WxJava.
 */
final class WeChatCipher {

    private final byte[] key;
    private final String receiverId;

    /**
     * @param encodingAesKey the 43-character EncodingAESKey
     * @param receiverId     the appid (Official Account) or corpid (WeCom) appended to every message
     */
    WeChatCipher(String encodingAesKey, String receiverId) {
        this.key = Base64.getDecoder().decode(encodingAesKey + "=");
        this.receiverId = receiverId;
    }

    /** {@code Encrypt}: Base64 of AES-CBC over random16, the length, the message and the receiver id. */
    String encrypt(byte[] random16, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] receiver = receiverId.getBytes(StandardCharsets.UTF_8);
        int length = 16 + 4 + text.length + receiver.length;
        int pad = 32 - length % 32;
        ByteBuffer plain = ByteBuffer.allocate(length + pad);
        plain.put(random16, 0, 16).putInt(text.length).put(text).put(receiver);
        byte[] padding = new byte[pad];
        Arrays.fill(padding, (byte) pad);
        plain.put(padding);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            return Base64.getEncoder().encodeToString(aes.doFinal(plain.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha1_hex} of the parts sorted and concatenated: {@code signature} and {@code msg_signature}. */
    static String signature(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
