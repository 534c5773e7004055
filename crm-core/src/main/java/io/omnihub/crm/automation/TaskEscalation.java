package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** A staff task's timer firing: a task still open when it is due goes to the assignee's manager, once. */
final class TaskEscalation {

    private TaskEscalation() {
    }

    /** Escalates the task whose timer row the caller holds locked, if it is still open; returns what happened. */
    static String escalate(Connection c, UUID taskId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select status, assignee, manager, escalated_at from crm_task where id = ? for update")) {
            ps.setObject(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "no such task";
                }
                String status = rs.getString(1);
                String assignee = rs.getString(2);
                String manager = rs.getString(3);
                if (!"open".equals(status)) {
                    return "task " + status;
                }
                if (rs.getObject(4) != null || manager == null || manager.equals(assignee)) {
                    return "nobody to escalate to";
                }
                try (PreparedStatement up = c.prepareStatement(
                        "update crm_task set assignee = ?, escalated_from = ?, escalated_at = ? where id = ?")) {
                    up.setString(1, manager);
                    up.setString(2, assignee);
                    up.setObject(3, SqlValues.utc(now));
                    up.setObject(4, taskId);
                    up.executeUpdate();
                }
                return "escalated to " + manager;
            }
        }
    }
}
