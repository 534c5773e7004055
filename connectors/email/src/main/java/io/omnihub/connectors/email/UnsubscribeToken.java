package io.omnihub.connectors.email;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token of an unsubscribe link: who unsubscribes (the recipient's address) and from which
 * message, sealed with the instance's {@code unsubscribe-secret} so that nobody can unsubscribe
 * someone else and the address is not readable in the link (links end up in proxies' and mail
 * scanners' logs).
 *
 * <p>Deterministic authenticated encryption in the SIV manner: {@code nonce = HMAC-SHA256(k1,
 * plaintext)[0..12)}, then AES-256-GCM under {@code k2} with that nonce; opening checks the GCM tag
 * and that the nonce is the HMAC of what it decrypted to. So the token is an HMAC of the recipient
 * (and message) under the instance secret, and carries them encrypted. {@code k1} and {@code k2}
 * are derived from the secret by HMAC with fixed labels. The same recipient and message always give
 * the same token; the token is URL-safe Base64 without padding.
 */
final class UnsubscribeToken {

    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] AAD = "omnihub-email-unsubscribe".getBytes(StandardCharsets.UTF_8);

    private final byte[] nonceKey;
    private final byte[] encryptionKey;

    UnsubscribeToken(String secret) {
        byte[] master = secret.getBytes(StandardCharsets.UTF_8);
        this.nonceKey = hmac(master, "unsubscribe nonce key".getBytes(StandardCharsets.UTF_8));
        this.encryptionKey = hmac(master, "unsubscribe encryption key".getBytes(StandardCharsets.UTF_8));
    }

    /** Who unsubscribes, from which message. */
    record Subject(String recipient, String messageRef) {
    }

    String issue(String recipient, String messageRef) {
        byte[] plaintext = (recipient + "\n" + messageRef).getBytes(StandardCharsets.UTF_8);
        byte[] nonce = Arrays.copyOf(hmac(nonceKey, plaintext), NONCE);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, nonce, plaintext);
        ByteBuffer token = ByteBuffer.allocate(1 + NONCE + sealed.length).put(VERSION).put(nonce).put(sealed);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /** The subject of a token this instance issued; empty for anything else (forged, altered, another instance's). */
    Optional<Subject> open(String token) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // One spelling per token: a last character differing only in the bits Base64 drops is refused.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(token)
                || raw.length < 1 + NONCE + TAG_BITS / 8 + 3 || raw[0] != VERSION) {
            return Optional.empty();
        }
        byte[] nonce = Arrays.copyOfRange(raw, 1, 1 + NONCE);
        byte[] plaintext;
        try {
            plaintext = gcm(Cipher.DECRYPT_MODE, nonce, Arrays.copyOfRange(raw, 1 + NONCE, raw.length));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(nonce, Arrays.copyOf(hmac(nonceKey, plaintext), NONCE))) {
            return Optional.empty();
        }
        String text = new String(plaintext, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Subject(text.substring(0, newline), text.substring(newline + 1)));
    }

    private byte[] gcm(int mode, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(encryptionKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(AAD);
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("token does not verify", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token cannot be processed", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
