package io.omnihub.hub.sealing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets kept in the database (connector instances' secrets, cached channel tokens) with
 * AES-256-GCM, so that a database dump or backup shows none of them (DESIGN §8).
 *
 * <p>A sealed value is text: {@code sealed:v1:<key id>:<base64url(salt ‖ nonce ‖ ciphertext ‖ tag)>}.
 * Each value is encrypted under a key of its own, derived from the sealing key and a random salt
 * (HMAC-SHA256), with a random 96-bit nonce, so no key ever sees enough values for nonces to repeat.
 * The {@code context} (table, instance, field) is authenticated with the value: a sealed value copied
 * to another row does not open there.
 *
 * <p>The current key seals; it and the previous keys open ({@link SealingKeys}). Thread-safe.
 */
public final class Sealer {

    /** What every sealed value starts with. */
    public static final String PREFIX = "sealed:v1:";
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] SEAL_LABEL = "omnihub seal".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FINGERPRINT_LABEL = "omnihub fingerprint".getBytes(StandardCharsets.UTF_8);

    private final String currentId;
    private final Map<String, byte[]> keys;
    private final byte[] fingerprintKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param current  the key that seals (32 bytes)
     * @param previous keys that still open what they sealed (32 bytes each)
     */
    public Sealer(byte[] current, List<byte[]> previous) {
        Map<String, byte[]> byId = new LinkedHashMap<>();
        this.currentId = keyId(checked(current));
        byId.put(currentId, current.clone());
        for (byte[] key : previous) {
            byId.putIfAbsent(keyId(checked(key)), key.clone());
        }
        this.keys = Map.copyOf(byId);
        this.fingerprintKey = hmac(current, FINGERPRINT_LABEL);
    }

    /** The id of the key that seals now: the first eight hex digits of its SHA-256. */
    public String currentKeyId() {
        return currentId;
    }

    /** Seals {@code plaintext} for {@code context}. */
    public String seal(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, valueKey(keys.get(currentId), salt), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(SALT_BYTES + NONCE_BYTES + sealed.length).put(salt).put(nonce).put(sealed);
            return PREFIX + currentId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * Opens a value sealed for {@code context}.
     *
     * @throws SealedValueException when it is not a sealed value, was sealed with a key this hub
     *                              does not have, or was changed or moved to another context
     */
    public String open(String sealed, String context) {
        if (!isSealed(sealed)) {
            throw new SealedValueException("not a sealed value");
        }
        String rest = sealed.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new SealedValueException("a sealed value without its key id");
        }
        String id = rest.substring(0, colon);
        byte[] key = keys.get(id);
        if (key == null) {
            throw new SealedValueException("sealed with key " + id + ", which this hub does not have: give it in "
                    + "hub.security.sealing.previous-keys (the current key is " + currentId + ")");
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
            if (bytes.length < SALT_BYTES + NONCE_BYTES + TAG_BITS / 8) {
                throw new SealedValueException("a sealed value too short to be one");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, valueKey(key, java.util.Arrays.copyOf(bytes, SALT_BYTES)),
                    new GCMParameterSpec(TAG_BITS, bytes, SALT_BYTES, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(bytes, SALT_BYTES + NONCE_BYTES, bytes.length - SALT_BYTES - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SealedValueException("a sealed value that is not base64url");
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealedValueException("a sealed value that was changed, or belongs to another place than " + context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** Whether {@code value} looks like a sealed value. */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Whether {@code value} is sealed, but not with the current key: to be sealed again after a key rotation. */
    public boolean sealedWithAnotherKey(String value) {
        return isSealed(value) && !value.startsWith(PREFIX + currentId + ":");
    }

    /**
     * A keyed digest (HMAC-SHA256, hex) of {@code data}: stable for one sealing key, and revealing
     * nothing about {@code data}, even a guessable one, to whoever lacks the key.
     */
    public String fingerprint(String data) {
        return HexFormat.of().formatHex(hmac(fingerprintKey, data.getBytes(StandardCharsets.UTF_8)));
    }

    /** The id of a key: the first eight hex digits of its SHA-256. */
    public static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static SecretKeySpec valueKey(byte[] key, byte[] salt) {
        byte[] input = new byte[SEAL_LABEL.length + salt.length];
        System.arraycopy(SEAL_LABEL, 0, input, 0, SEAL_LABEL.length);
        System.arraycopy(salt, 0, input, SEAL_LABEL.length, salt.length);
        return new SecretKeySpec(hmac(key, input), "AES");
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static byte[] checked(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("a sealing key is 32 bytes (256 bits), base64-encoded");
        }
        return key;
    }

    @Override
    public String toString() {
        return "Sealer[current key " + currentId + ", " + (keys.size() - 1) + " previous]";
    }
}
