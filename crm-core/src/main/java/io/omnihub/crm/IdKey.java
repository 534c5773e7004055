package io.omnihub.crm;

import io.omnihub.connector.event.Identity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        String v = value;
        String m = v.length() <= 5 ? "*".repeat(v.length()) : v.substring(0, 3) + "*".repeat(v.length() - 5) + v.substring(v.length() - 2);
        return type + (namespace.isEmpty() ? "" : "@" + namespace) + ":" + m;
    }

    @Override
    public int compareTo(IdKey o) {
        return ORDER.compare(this, o);
    }
}
