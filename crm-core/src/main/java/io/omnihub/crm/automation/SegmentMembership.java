package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A customer's segment memberships brought in line with the segments' conditions: rows of
 * {@code crm_segment_member} added and removed, and the customer's facts kept in step.
 */
final class SegmentMembership {

    private final Connection c;
    private final Instant now;
    private final CelVariables vars;

    SegmentMembership(Connection c, Instant now, CelVariables vars) {
        this.c = c;
        this.now = now;
        this.vars = vars;
    }

    /**
     * Re-evaluates {@code which} for {@code f}; returns the ones entered and adds the ones left to
     * {@code left}. Memberships of segments not in {@code which} are left alone.
     */
    List<String> update(CustomerFacts f, Collection<SegmentDefinition> which, List<String> left) throws SQLException {
        List<String> entered = new ArrayList<>();
        Map<String, Object> vars = this.vars.of(f, null, null);
        for (SegmentDefinition s : which) {
            boolean member = s.when().test(vars);
            boolean was = f.segments.contains(s.id());
            if (member && !was) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into crm_segment_member (segment_id, customer_id, joined_at) values (?, ?, ?) on conflict do nothing")) {
                    ps.setString(1, s.id());
                    ps.setObject(2, f.id);
                    ps.setObject(3, SqlValues.utc(now));
                    ps.executeUpdate();
                }
                f.segments.add(s.id());
                f.changed();
                entered.add(s.id());
            } else if (!member && was) {
                leave(f, s.id());
                left.add(s.id());
            }
        }
        return entered;
    }

    private void leave(CustomerFacts f, String segment) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from crm_segment_member where segment_id = ? and customer_id = ?")) {
            ps.setString(1, segment);
            ps.setObject(2, f.id);
            ps.executeUpdate();
        }
        f.segments.remove(segment);
        f.changed();
    }
}
