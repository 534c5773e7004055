package io.omnihub.crm.automation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A definition as canonical JSON, and its digest: keys are sorted, so the same definition always
 * gives the same text however its YAML was laid out, and the digest (a journey's version, a trait's
 * fingerprint) changes only when the definition does.
 */
final class CanonicalJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private CanonicalJson() {
    }

    /** {@code plain} (maps, lists, scalars, as {@link YamlFields#plain} gives them) as canonical JSON. */
    static String of(Object plain) {
        try {
            return MAPPER.writeValueAsString(plain);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first 8 bytes of the SHA-256 of {@code canonical}, in hex. */
    static String digest(String canonical) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
