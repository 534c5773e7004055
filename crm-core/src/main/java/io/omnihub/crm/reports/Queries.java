package io.omnihub.crm.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Runs a report's query: the statement closes with its result set. */
final class Queries {

    private Queries() {
    }

    /** The rows of {@code sql} with {@code params} bound in order; close the result set to close the statement. */
    static ResultSet run(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            ps.closeOnCompletion();
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeQuery();
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
