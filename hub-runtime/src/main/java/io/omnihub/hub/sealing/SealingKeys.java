package io.omnihub.hub.sealing;

import io.omnihub.hub.logging.SecretValues;
import io.omnihub.hub.security.OwnerOnlyFile;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the sealing key comes from: {@code hub.security.sealing.key} (environment variable
 * {@code HUB_SECURITY_SEALING_KEY}, base64 of 32 bytes) when set, which every node of a cluster must
 * share; otherwise an owner-only key file, {@code ${hub.data-dir}/sealing.key}, created with a
 * random key on first start. Keys being rotated out are given in {@code hub.security.sealing.previous-keys};
 * a key file left behind by an earlier start counts as a previous key once a key is configured, so
 * moving from the file to a configured key loses nothing.
 */
public final class SealingKeys {

    private static final Logger log = LoggerFactory.getLogger(SealingKeys.class);

    private SealingKeys() {
    }

    /**
     * @param configuredKey the configured key (base64), or null/blank to use the key file
     * @param previousKeys  keys still accepted for opening (base64)
     * @param keyFile       the key file, read when no key is configured (and created when missing)
     * @throws IllegalStateException naming the setting when a key is not base64 of 32 bytes
     */
    public static Sealer load(String configuredKey, List<String> previousKeys, Path keyFile) {
        return load(configuredKey, previousKeys, keyFile, true);
    }

    /** The same, saying which key seals (once, from the hub's {@link Sealer} bean) or not. */
    static Sealer load(String configuredKey, List<String> previousKeys, Path keyFile, boolean report) {
        OwnerOnlyFile file = new OwnerOnlyFile(keyFile);
        List<byte[]> previous = new ArrayList<>();
        for (String key : previousKeys == null ? List.<String>of() : previousKeys) {
            if (key != null && !key.isBlank()) {
                previous.add(decode(key, "hub.security.sealing.previous-keys"));
            }
        }
        byte[] current;
        String source;
        if (configuredKey != null && !configuredKey.isBlank()) {
            current = decode(configuredKey, "hub.security.sealing.key");
            source = "hub.security.sealing.key";
            if (file.exists()) {
                previous.add(decode(file.read(), file.path().toString()));
            }
        } else {
            OwnerOnlyFile.Content content = file.readOrCreate(SealingKeys::newKey);
            current = decode(content.value(), file.path().toString());
            source = file.path() + (content.created() ? " (created now)" : "");
        }
        List<String> encoded = new ArrayList<>();
        encoded.add(Base64.getEncoder().encodeToString(current));
        previous.forEach(key -> encoded.add(Base64.getEncoder().encodeToString(key)));
        SecretValues.register(encoded);
        Sealer sealer = new Sealer(current, previous);
        if (!report) {
            return sealer;
        }
        log.info("Secrets at rest sealed with key {} from {}{}", sealer.currentKeyId(), source,
                previous.isEmpty() ? "" : "; " + previous.size() + " previous key(s) still open what they sealed");
        return sealer;
    }

    /** A new random key, base64: what {@code openssl rand -base64 32} prints. */
    public static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] decode(String base64, String where) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.strip());
            if (key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalStateException(where + " must be a 256-bit key in base64 (openssl rand -base64 32)");
    }
}
