package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.NoSuchElementException;
import java.util.UUID;

/** Edits of a profile by hand or by the API: tags and scores, on the surviving profile, under its row lock. */
final class ProfileEdits {

    private final Transactions tx;
    private final Clock clock;

    ProfileEdits(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    boolean addTag(String customerId, String tag) {
        String t = requireText(tag, "tag");
        return withProfileLocked(customerId, (c, id) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crm_tag (customer_id, tag, added_at) values (?, ?, ?) on conflict do nothing")) {
                ps.setObject(1, id);
                ps.setString(2, t);
                ps.setObject(3, SqlValues.utc(clock.instant()));
                return ps.executeUpdate() == 1;
            }
        });
    }

    boolean removeTag(String customerId, String tag) {
        return withProfileLocked(customerId, (c, id) -> {
            try (PreparedStatement ps = c.prepareStatement("delete from crm_tag where customer_id = ? and tag = ?")) {
                ps.setObject(1, id);
                ps.setString(2, tag);
                return ps.executeUpdate() == 1;
            }
        });
    }

    long addScore(String customerId, String name, long delta) {
        String n = requireText(name, "score name");
        return withProfileLocked(customerId, (c, id) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crm_score (customer_id, name, value) values (?, ?, ?) "
                            + "on conflict (customer_id, name) do update set value = crm_score.value + excluded.value returning value")) {
                ps.setObject(1, id);
                ps.setString(2, n);
                ps.setLong(3, delta);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank() || s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return s.strip();
    }

    private <T> T withProfileLocked(String customerId, ProfileWork<T> work) {
        UUID id = Uuids.parse(customerId).orElseThrow(() -> new NoSuchElementException("no customer " + customerId));
        return tx.retrying(c -> work.apply(c, ProfileLocks.lockSurviving(c, id)));
    }

    @FunctionalInterface
    private interface ProfileWork<T> {
        T apply(Connection c, UUID id) throws SQLException;
    }
}
