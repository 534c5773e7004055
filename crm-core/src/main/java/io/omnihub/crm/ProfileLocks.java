package io.omnihub.crm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Profile row locks. Every writer of a profile holds its row lock ({@code FOR UPDATE}), so writers
 * of one profile never interleave; the core takes them in id order.
 */
public final class ProfileLocks {

    private ProfileLocks() {
    }

    /** Locks a profile's row, as the CRM core does while applying its events; false when there is no such profile. */
    public static boolean lockRow(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from crm_customer where id = ? for update")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Follows {@code requested} to its surviving profile and locks that profile's row, again when a
     * concurrent merge moved it meanwhile.
     *
     * @throws java.util.NoSuchElementException when there is no such profile
     */
    public static UUID lockSurviving(Connection c, UUID requested) throws SQLException {
        for (int i = 0; i < 20; i++) {
            UUID cur = ProfileAliases.resolve(c, requested)
                    .orElseThrow(() -> new java.util.NoSuchElementException("no customer " + requested));
            try (PreparedStatement ps = c.prepareStatement("select status from crm_customer where id = ? for update")) {
                ps.setObject(1, cur);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && "active".equals(rs.getString(1))) {
                        return cur;
                    }
                }
            }
        }
        throw new SQLException("customer kept being merged", "40001");
    }
}
