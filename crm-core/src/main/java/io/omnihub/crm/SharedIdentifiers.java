package io.omnihub.crm;

import io.omnihub.connector.event.Identity;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;

/** The list of shared identifiers operators read, with the evidence, and their decisions on it. */
final class SharedIdentifiers {

    private final Transactions tx;
    private final IdentityPolicy policy;
    private final Clock clock;

    SharedIdentifiers(Transactions tx, IdentityPolicy policy, Clock clock) {
        this.tx = tx;
        this.policy = policy;
        this.clock = clock;
    }

    List<SharedIdentifierView> list(String status, int limit) {
        return tx.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("select type, namespace, value, status, reason, evidence::text, detected_at, "
                    + "decided_at, decided_by, note from crm_shared_identifier where (?::text is null or status = ?) "
                    + "order by detected_at desc, type, namespace, value limit ?")) {
                ps.setString(1, status);
                ps.setString(2, status);
                ps.setInt(3, Math.max(1, Math.min(limit, 1000)));
                List<SharedIdentifierView> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SharedIdentifierView(rs.getString(1), rs.getString(2).isEmpty() ? null : rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
                                Json.toMap(Json.object(rs.getString(6))))), SqlValues.instant(rs, 7), SqlValues.instant(rs, 8),
                                rs.getString(9), rs.getString(10)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Records an operator's decision: {@code confirm} keeps the identifier from linking for good;
     * otherwise it is overruled and links again from the next event on.
     *
     * @throws NoSuchElementException when the identifier is not on the list
     */
    SharedIdentifierView decide(String type, String value, String namespace, boolean confirm, String by, String note) {
        Identity n = policy.normalize(new Identity(type, value, namespace))
                .orElseThrow(() -> new NoSuchElementException("no shared identifier " + type));
        IdKey k = IdKey.of(n);
        tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("update crm_shared_identifier set status = ?, decided_at = ?, decided_by = ?, note = ? "
                    + "where type = ? and namespace = ? and value = ?")) {
                ps.setString(1, confirm ? "confirmed" : "overruled");
                ps.setObject(2, SqlValues.utc(clock.instant()));
                ps.setString(3, by);
                ps.setString(4, note);
                ps.setString(5, k.type());
                ps.setString(6, k.namespace());
                ps.setString(7, k.value());
                if (ps.executeUpdate() == 0) {
                    throw new NoSuchElementException("no shared identifier " + k.masked());
                }
                return null;
            }
        });
        return list(null, 1000).stream()
                .filter(v -> v.type().equals(k.type()) && v.value().equals(k.value()) && (v.namespace() == null ? "" : v.namespace()).equals(k.namespace()))
                .findFirst().orElseThrow();
    }
}
