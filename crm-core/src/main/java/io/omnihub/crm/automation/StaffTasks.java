package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.Uuids;
import java.util.NoSuchElementException;
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

/** Staff tasks (follow-ups journeys create): listed, read and completed by the staff. */
public final class StaffTasks {

    private static final Logger LOG = LoggerFactory.getLogger(StaffTasks.class);

    private final Transactions tx;
    private final Clock clock;

    StaffTasks(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    private static final String TASK_COLUMNS = "id, customer_id, title, note, assignee, manager, store, region, lead_source, origin, "
            + "status, due_at, escalate_at, escalated_at, escalated_from, created_at, completed_at, completed_by, completion_note";

    /**
     * Tasks, open ones first, then newest first; each filter may be null.
     *
     * @param assignee who has it now
     * @param store    the store it was assigned by
     * @param status   {@code open} or {@code done}
     * @param customer the customer it is about
     */
    public List<TaskView> tasks(String assignee, String store, String status, String customer, int limit) {
        return tx.retrying(c -> {
            StringBuilder sql = new StringBuilder("select " + TASK_COLUMNS + " from crm_task where true");
            List<Object> params = new ArrayList<>();
            if (assignee != null) {
                sql.append(" and assignee = ?");
                params.add(assignee);
            }
            if (store != null) {
                sql.append(" and store = ?");
                params.add(store);
            }
            if (status != null) {
                sql.append(" and status = ?");
                params.add(status);
            }
            if (customer != null) {
                sql.append(" and customer_id = ?");
                params.add(Uuids.parse(customer).orElse(new UUID(0, 0)));
            }
            sql.append(" order by status = 'open' desc, created_at desc, id limit ?");
            params.add(Math.max(1, Math.min(limit, 1000)));
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                return readTasks(ps);
            }
        });
    }

    public Optional<TaskView> task(String id) {
        Optional<UUID> uuid = Uuids.parse(id);
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        return tx.retrying(c -> task(c, uuid.get()));
    }

    private static Optional<TaskView> task(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + TASK_COLUMNS + " from crm_task where id = ?")) {
            ps.setObject(1, id);
            return readTasks(ps).stream().findFirst();
        }
    }

    /**
     * Marks a task done (the follow-up happened): it is no longer escalated.
     *
     * @throws NoSuchElementException when there is no such task
     * @throws IllegalStateException  when it is done already
     */
    public TaskView completeTask(String id, String by, String note) {
        UUID uuid = Uuids.parse(id).orElseThrow(() -> new NoSuchElementException("no task " + id));
        return tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("select status from crm_task where id = ? for update")) {
                ps.setObject(1, uuid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchElementException("no task " + id);
                    }
                    if (!"open".equals(rs.getString(1))) {
                        throw new IllegalStateException("task " + id + " is done already");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update crm_task set status = 'done', completed_at = ?, completed_by = ?, completion_note = ? where id = ?")) {
                ps.setObject(1, SqlValues.utc(clock.instant()));
                ps.setString(2, CelValues.clean(by));
                ps.setString(3, CelValues.clean(note));
                ps.setObject(4, uuid);
                ps.executeUpdate();
            }
            return task(c, uuid).orElseThrow();
        });
    }

    private static List<TaskView> readTasks(PreparedStatement ps) throws SQLException {
        List<TaskView> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TaskView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), SqlValues.instant(rs, 12),
                        SqlValues.instant(rs, 13), SqlValues.instant(rs, 14), rs.getString(15), SqlValues.instant(rs, 16), SqlValues.instant(rs, 17),
                        rs.getString(18), rs.getString(19)));
            }
        }
        return out;
    }
}
