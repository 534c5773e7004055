package io.omnihub.connectors.wechat;

import io.omnihub.connector.errors.BadInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's message encryption (安全模式), shared by Official Accounts and WeCom.
 *
 * <p>AES-256-CBC without cipher padding, the IV being the key's first 16 bytes. The plaintext is
 * {@code random16 | uint32_be(len) | message | receiveId}, padded PKCS#7-style to 32-byte blocks,
 * and the ciphertext is sent in standard Base64. The receive id is the appid (mp) or the corpid
 * (wecom). Tencent's sample code, and WxJava after it, never checks the trailing receive id; this
 * class does, so a message encrypted for another account that shares the key is refused.
 *
 * <p>Thread-safe: a fresh {@link Cipher} per call.
 */
public final class WeChatCrypto {

    private static final int RANDOM_LENGTH = 16;
    private static final int LENGTH_FIELD = 4;
    /** WeChat pads to 32 bytes, not to the AES block size of 16. */
    private static final int PAD_BLOCK = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final IvParameterSpec iv;
    private final byte[] receiveId;

    /**
     * @param encodingAesKey the 43-character EncodingAESKey
     * @param receiveId      the appid or corpid every message must be addressed to
     * @throws IllegalArgumentException when the key is not a 43-character key
     */
    public WeChatCrypto(String encodingAesKey, String receiveId) {
        byte[] keyBytes = decodeKey(encodingAesKey);
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.iv = new IvParameterSpec(Arrays.copyOfRange(keyBytes, 0, 16));
        this.receiveId = Objects.requireNonNull(receiveId, "receiveId").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The 32-byte AES key of an EncodingAESKey ({@code Base64(key + "=")}).
     *
     * @throws IllegalArgumentException when it is not 43 Base64 characters decoding to 32 bytes;
     *     the message never quotes the key
     */
    public static byte[] decodeKey(String encodingAesKey) {
        if (encodingAesKey == null || encodingAesKey.length() != 43) {
            throw new IllegalArgumentException("an EncodingAESKey has 43 characters");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encodingAesKey + "=");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an EncodingAESKey is Base64 without its final '='");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("an EncodingAESKey decodes to 32 bytes");
        }
        return key;
    }

    /** Encrypts {@code message} with fresh random bytes; returns the Base64 ciphertext. */
    public String encrypt(String message) {
        byte[] random = new byte[RANDOM_LENGTH];
        RANDOM.nextBytes(random);
        return encrypt(random, message);
    }

    /**
     * Encrypts with the given 16-character random string, as Tencent's sample does; deterministic,
     * which is what the published test vectors need.
     */
    public String encrypt(String randomStr, String message) {
        byte[] random = randomStr.getBytes(StandardCharsets.UTF_8);
        if (random.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("the random prefix has 16 bytes");
        }
        return encrypt(random, message);
    }

    private String encrypt(byte[] random, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int unpadded = RANDOM_LENGTH + LENGTH_FIELD + text.length + receiveId.length;
        int pad = PAD_BLOCK - unpadded % PAD_BLOCK;
        ByteBuffer plain = ByteBuffer.allocate(unpadded + pad)
                .put(random)
                .putInt(text.length)
                .put(text)
                .put(receiveId);
        for (int i = 0; i < pad; i++) {
            plain.put((byte) pad);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, iv);
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is unavailable in this JDK", e);
        }
    }

    /**
     * Decrypts a Base64 ciphertext and returns the message bytes exactly as WeChat encrypted them.
     *
     * @throws BadInputException when the ciphertext, its padding or its length field is malformed
     *     (a wrong EncodingAESKey looks like this too), or the message is addressed to another
     *     appid or corpid
     */
    public byte[] decrypt(String base64) {
        byte[] cipherText;
        try {
            cipherText = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("encrypted message is not Base64");
        }
        if (cipherText.length == 0 || cipherText.length % 16 != 0) {
            throw new BadInputException("encrypted message has an impossible length");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, iv);
            plain = cipher.doFinal(cipherText);
        } catch (GeneralSecurityException e) {
            throw new BadInputException("encrypted message could not be decrypted", e);
        }
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > PAD_BLOCK || pad > plain.length) {
            throw new BadInputException("encrypted message has bad padding (wrong encoding-aes-key?)");
        }
        for (int i = plain.length - pad; i < plain.length; i++) {
            if ((plain[i] & 0xff) != pad) {
                throw new BadInputException("encrypted message has bad padding (wrong encoding-aes-key?)");
            }
        }
        int end = plain.length - pad;
        if (end < RANDOM_LENGTH + LENGTH_FIELD) {
            throw new BadInputException("encrypted message is too short");
        }
        int length = ByteBuffer.wrap(plain, RANDOM_LENGTH, LENGTH_FIELD).getInt();
        int start = RANDOM_LENGTH + LENGTH_FIELD;
        if (length < 0 || length > end - start) {
            throw new BadInputException("encrypted message has a length field beyond its data");
        }
        byte[] addressee = Arrays.copyOfRange(plain, start + length, end);
        if (!MessageDigest.isEqual(addressee, receiveId)) {
            throw new BadInputException("encrypted message is addressed to another app id or corp id than this instance's");
        }
        return Arrays.copyOfRange(plain, start, start + length);
    }

    /** {@link #decrypt} as UTF-8 text, e.g. a WeCom echostr. */
    public String decryptToString(String base64) {
        return new String(decrypt(base64), StandardCharsets.UTF_8);
    }

    /**
     * The encrypted passive-reply body of safe mode:
     * {@code <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>}, signed with {@code token}.
     *
     * @param replyXml  the plaintext reply message
     * @param token     the instance's token
     * @param timestamp seconds since the epoch, as text
     * @param nonce     a random alphanumeric string
     */
    public String encryptedReply(String replyXml, String token, String timestamp, String nonce) {
        if (!timestamp.matches("\\d+") || !nonce.matches("[A-Za-z0-9]+")) {
            // Both end up in CDATA or element text unescaped; keep them to the characters WeChat uses.
            throw new IllegalArgumentException("timestamp must be digits and nonce alphanumeric");
        }
        String encrypted = encrypt(replyXml);
        String signature = WeChatSignature.sign(token, timestamp, nonce, encrypted);
        return "<xml><Encrypt><![CDATA[" + encrypted + "]]></Encrypt>"
                + "<MsgSignature><![CDATA[" + signature + "]]></MsgSignature>"
                + "<TimeStamp>" + timestamp + "</TimeStamp>"
                + "<Nonce><![CDATA[" + nonce + "]]></Nonce></xml>";
    }
}
