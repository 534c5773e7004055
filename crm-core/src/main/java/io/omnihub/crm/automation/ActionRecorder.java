package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an action to {@code crm_action} under its id, the idempotency key: an id recorded before is
 * left as it was, and its action is not carried out again.
 */
final class ActionRecorder {

    private final Connection c;
    private final Instant now;

    ActionRecorder(Connection c, Instant now) {
        this.c = c;
        this.now = now;
    }

    /** Records an action under its id; false when the id was recorded before. */
    boolean record(String id, UUID customer, String origin, String kind, String connector, String instance, Recipient recipient,
                   Map<String, Object> payload, boolean marketing, String campaign, String status, String reason,
                   Instant notBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into crm_action (id, customer_id, origin, kind, connector, instance, recipient_type, recipient_namespace,
                                        recipient_value, payload, marketing, campaign, status, reason, not_before, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
                on conflict (id) do nothing
                """)) {
            ps.setString(1, id);
            ps.setObject(2, customer);
            ps.setString(3, origin);
            ps.setString(4, kind);
            ps.setString(5, connector);
            ps.setString(6, instance);
            ps.setString(7, recipient == null ? null : recipient.type());
            ps.setString(8, recipient == null ? null : recipient.namespace());
            ps.setString(9, recipient == null ? null : recipient.value());
            ps.setString(10, CelValues.clean(CelValues.write(payload)));
            ps.setBoolean(11, marketing);
            ps.setString(12, campaign);
            ps.setString(13, status);
            ps.setString(14, reason == null ? null : CelValues.clean(reason.length() > 2000 ? reason.substring(0, 2000) : reason));
            ps.setObject(15, SqlValues.utc(notBefore));
            ps.setObject(16, SqlValues.utc(now));
            ps.setObject(17, SqlValues.utc(now));
            return ps.executeUpdate() == 1;
        }
    }
}
