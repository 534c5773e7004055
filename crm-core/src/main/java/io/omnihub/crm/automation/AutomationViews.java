package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.Uuids;
import java.util.LinkedHashMap;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What operators read of journeys and segments: enrollments, their counts, segment members. */
public final class AutomationViews {

    private static final Logger LOG = LoggerFactory.getLogger(AutomationViews.class);

    private final Transactions tx;

    AutomationViews(Transactions tx) {
        this.tx = tx;
    }

    /** Enrollments of a journey, newest first; {@code status} and {@code customer} may be null. */
    public List<EnrollmentView> enrollments(String journeyId, String status, String customer, int limit) {
        return tx.retrying(c -> {
            StringBuilder sql = new StringBuilder("select id, journey_id, version, customer_id, status, step, waiting, trigger_event_id, "
                    + "started_at, updated_at, ended_at, end_reason from crm_enrollment where journey_id = ?");
            List<Object> params = new ArrayList<>(List.of(journeyId));
            if (status != null) {
                sql.append(" and status = ?");
                params.add(status);
            }
            if (customer != null) {
                sql.append(" and customer_id = ?");
                params.add(Uuids.parse(customer).orElse(new UUID(0, 0)));
            }
            sql.append(" order by started_at desc, id limit ?");
            params.add(Math.max(1, Math.min(limit, 1000)));
            List<EnrollmentView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EnrollmentView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), SqlValues.instant(rs, 9), SqlValues.instant(rs, 10),
                                SqlValues.instant(rs, 11), rs.getString(12)));
                    }
                }
            }
            return out;
        });
    }

    /** How many enrollments of a journey are active, completed and exited. */
    public Map<String, Long> enrollmentCounts(String journeyId) {
        return tx.retrying(c -> {
            Map<String, Long> out = new LinkedHashMap<>(Map.of("active", 0L, "completed", 0L, "exited", 0L));
            try (PreparedStatement ps = c.prepareStatement("select status, count(*) from crm_enrollment where journey_id = ? group by status")) {
                ps.setString(1, journeyId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    /** Members of a segment (surviving profiles), longest members first. */
    public List<String> segmentMembers(String segmentId, int limit) {
        return tx.retrying(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select m.customer_id from crm_segment_member m join crm_customer c "
                    + "on c.id = m.customer_id and c.status = 'active' where m.segment_id = ? order by m.joined_at, m.customer_id limit ?")) {
                ps.setString(1, segmentId);
                ps.setInt(2, Math.max(1, Math.min(limit, 10_000)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** How many customers are in a segment. */
    public long segmentSize(String segmentId) {
        return tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from crm_segment_member m join crm_customer c "
                    + "on c.id = m.customer_id and c.status = 'active' where m.segment_id = ?")) {
                ps.setString(1, segmentId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
