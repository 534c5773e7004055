package io.omnihub.crm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** JDBC helpers and SQLSTATE classification. */
final class Db {
    private Db() {
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static java.sql.Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    static java.sql.Array texts(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    /** Binds three text arrays (types, namespaces, values) at {@code first}, {@code first+1}, {@code first+2}. */
    static void bindKeys(Connection c, PreparedStatement ps, int first, Collection<IdKey> keys) throws SQLException {
        List<String> t = new ArrayList<>(keys.size());
        List<String> n = new ArrayList<>(keys.size());
        List<String> v = new ArrayList<>(keys.size());
        for (IdKey k : keys) {
            t.add(k.type());
            n.add(k.namespace());
            v.add(k.value());
        }
        ps.setArray(first, texts(c, t));
        ps.setArray(first + 1, texts(c, n));
        ps.setArray(first + 2, texts(c, v));
    }

    static String state(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return "";
    }

    /** A race another try can win: serialization failure, deadlock, unique or FK race, lock timeout. */
    static boolean retryable(SQLException e) {
        String s = state(e);
        return s.equals("40001") || s.equals("40P01") || s.equals("23505") || s.equals("23503") || s.equals("55P03");
    }

    /** An error caused by the data of one event (bad value, constraint), not by the database's state. */
    static boolean dataError(SQLException e) {
        String s = state(e);
        return s.startsWith("22") || (s.startsWith("23") && !retryable(e));
    }
}
