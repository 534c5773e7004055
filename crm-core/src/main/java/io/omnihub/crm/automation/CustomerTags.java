package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tag action: adds tags to the customer or takes them off, at once, and keeps the customer's facts current. */
final class CustomerTags {

    private final Connection c;
    private final Instant now;
    private final ActionRecorder recorder;

    CustomerTags(Connection c, Instant now, ActionRecorder recorder) {
        this.c = c;
        this.now = now;
        this.recorder = recorder;
    }

    /** Carries out {@code tag}; false when {@code actionId} had been recorded before (nothing done now). */
    boolean apply(String actionId, String origin, ActionSpec.Tag tag, CustomerFacts customer, Map<String, Object> vars)
            throws SQLException {
        List<String> tags = new ArrayList<>();
        for (Template t : tag.tags()) {
            String name = CelValues.clean(t.renderText(vars)).strip();
            if (!name.isEmpty()) {
                tags.add(name.length() > 200 ? name.substring(0, 200) : name);
            }
        }
        if (!recorder.record(actionId, customer.id, origin, tag.name(), null, null, null, Map.of("tags", tags), false, null,
                "done", null, now)) {
            return false;
        }
        for (String name : tags) {
            if (tag.add()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into crm_tag (customer_id, tag, added_at) values (?, ?, ?) on conflict do nothing")) {
                    ps.setObject(1, customer.id);
                    ps.setString(2, name);
                    ps.setObject(3, SqlValues.utc(now));
                    ps.executeUpdate();
                }
                customer.tags.add(name);
                customer.changed();
            } else {
                try (PreparedStatement ps = c.prepareStatement("delete from crm_tag where customer_id = ? and tag = ?")) {
                    ps.setObject(1, customer.id);
                    ps.setString(2, name);
                    ps.executeUpdate();
                }
                customer.tags.remove(name);
                customer.changed();
            }
        }
        return true;
    }
}
