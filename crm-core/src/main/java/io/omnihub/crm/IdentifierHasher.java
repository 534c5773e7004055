package io.omnihub.crm;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes of identifiers for the suppression list: HMAC-SHA256 over type, namespace and value
 * (each followed by a NUL), under the installation's key in {@code crm_privacy_key}. The first node
 * that needs the key makes it (32 bytes from {@link SecureRandom}); it never changes afterwards, so
 * one read per core suffices. What is suppressed is read in every apply transaction, never kept.
 */
final class IdentifierHasher {

    private final SecretKeySpec key;

    private IdentifierHasher(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The installation's hasher, from its key row (made now when there is none yet). */
    static IdentifierHasher load(Connection c) throws SQLException {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into crm_privacy_key (id, hmac_key, created_at) values (1, ?, now()) on conflict (id) do nothing")) {
            ps.setBytes(1, fresh);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("select hmac_key from crm_privacy_key where id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("crm_privacy_key holds no key");
            }
            return new IdentifierHasher(rs.getBytes(1));
        }
    }

    byte[] hash(IdKey k) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            for (String part : new String[] {k.type(), k.namespace(), k.value()}) {
                mac.update(part.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
