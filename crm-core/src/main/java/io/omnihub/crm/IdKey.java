package io.omnihub.crm;

import io.omnihub.connector.event.Identity;
import io.omnihub.crm.jdbc.SqlValues;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Comparator;

/** A node of the identity graph as stored: namespace is '' for global types. */
record IdKey(String type, String namespace, String value) implements Comparable<IdKey> {

    private static final Comparator<IdKey> ORDER = Comparator.comparing(IdKey::type)
            .thenComparing(IdKey::namespace).thenComparing(IdKey::value);

    static IdKey of(Identity id) {
        return new IdKey(id.type(), id.namespace() == null ? "" : id.namespace(), id.value());
    }

    Identity toIdentity() {
        return new Identity(type, value, namespace.isEmpty() ? null : namespace);
    }

    /** The advisory-lock key: 64 bits of SHA-256 over the identity. */
    long lockKey() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("omnihub.crm.identity".getBytes(StandardCharsets.UTF_8));
            for (String s : new String[] {type, namespace, value}) {
                md.update((byte) 0);
                md.update(s.getBytes(StandardCharsets.UTF_8));
            }
            return ByteBuffer.wrap(md.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For reasons and logs: the value masked (keeps the first 3 and last 2 characters). */
    String masked() {
        return type + (namespace.isEmpty() ? "" : "@" + namespace) + ":" + MaskedValue.of(value);
    }

    /** Binds three text arrays (types, namespaces, values) at {@code first}, {@code first+1}, {@code first+2}. */
    static void bindArrays(Connection c, PreparedStatement ps, int first, Collection<IdKey> keys) throws SQLException {
        List<String> t = new ArrayList<>(keys.size());
        List<String> n = new ArrayList<>(keys.size());
        List<String> v = new ArrayList<>(keys.size());
        for (IdKey k : keys) {
            t.add(k.type());
            n.add(k.namespace());
            v.add(k.value());
        }
        ps.setArray(first, SqlValues.texts(c, t));
        ps.setArray(first + 1, SqlValues.texts(c, n));
        ps.setArray(first + 2, SqlValues.texts(c, v));
    }

    @Override
    public int compareTo(IdKey o) {
        return ORDER.compare(this, o);
    }
}
