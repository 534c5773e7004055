package io.omnihub.crm.automation;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes enrollments through their journey's steps in the run's transaction: acts and branches until a
 * step waits (a timer row) or the journey ends, and writes where each enrollment stands.
 */
final class JourneyWalker {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyWalker.class);
    /** Steps one run may take without waiting: a journey that loops this long is ended. */
    static final int MAX_STEPS_PER_RUN = 100;

    private final Connection c;
    private final Instant now;
    private final ActionPlanner planner;
    private final CelVariables vars;

    JourneyWalker(Connection c, Instant now, ActionPlanner planner, CelVariables vars) {
        this.c = c;
        this.now = now;
        this.planner = planner;
        this.vars = vars;
    }

    /** Writes a new active enrollment of {@code f} in {@code j}, started by {@code event}, at its first step. */
    Enrollment start(JourneyDefinition j, CustomerFacts f, CustomerEvent event) throws SQLException {
        Enrollment e = new Enrollment(Uuids.v7(now), j.id(), j.version(), f.id, "active", null, null, 0, event.id(),
                CelValues.clean(CelValues.write(event)), now);
        try (PreparedStatement ps = c.prepareStatement("insert into crm_enrollment (" + Enrollment.COLUMNS
                + ", updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, e.id);
            ps.setString(2, e.journeyId);
            ps.setString(3, e.version);
            ps.setObject(4, e.customerId);
            ps.setString(5, e.status);
            ps.setString(6, null);
            ps.setString(7, null);
            ps.setInt(8, 0);
            ps.setString(9, e.triggerEventId);
            ps.setString(10, e.triggerEventJson);
            ps.setObject(11, SqlValues.utc(now));
            ps.setObject(12, SqlValues.utc(now));
            ps.executeUpdate();
        }
        return e;
    }

    /** Walks {@code e} from step {@code index} until it waits or ends. */
    void walk(Enrollment e, JourneyDefinition j, CustomerFacts f, int index, CustomerEvent cause) throws SQLException {
        List<JourneyDefinition.Step> steps = j.steps();
        int idx = index;
        for (int taken = 0; ; taken++) {
            if (idx < 0 || idx >= steps.size()) {
                end(e, "completed", "all steps done");
                return;
            }
            if (taken >= MAX_STEPS_PER_RUN) {
                end(e, "exited", "more than " + MAX_STEPS_PER_RUN + " steps without a wait: the journey loops");
                LOG.warn("journey {} ended for customer {}: it loops without waiting", j.id(), f.id);
                return;
            }
            JourneyDefinition.Step step = steps.get(idx);
            Map<String, Object> vars = this.vars.of(f, cause, e.trigger());
            if (step instanceof JourneyDefinition.Wait w) {
                waitIn(e, w.id(), "timer", w.duration());
                return;
            } else if (step instanceof JourneyDefinition.WaitFor w) {
                waitIn(e, w.id(), "event", w.timeout());
                return;
            } else if (step instanceof JourneyDefinition.Branch b) {
                if (b.condition().test(vars)) {
                    idx = j.indexOf(b.then());
                } else {
                    idx = b.otherwise() == null ? idx + 1 : j.indexOf(b.otherwise());
                }
            } else if (step instanceof JourneyDefinition.Act a) {
                if (a.condition() == null || a.condition().test(vars)) {
                    planner.plan(e.id + ":" + a.id(), "journey:" + j.id(), a.action(), f, vars);
                }
                idx++;
            } else {
                end(e, "completed", "exit step " + step.id());
                return;
            }
        }
    }

    private void waitIn(Enrollment e, String step, String waiting, Duration duration) throws SQLException {
        e.waitSeq++;
        e.step = step;
        e.waiting = waiting;
        save(e);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into crm_timer (due_at, kind, enrollment_id, wait_seq, created_at) values (?, 'journey', ?, ?, ?)")) {
            ps.setObject(1, SqlValues.utc(now.plus(duration)));
            ps.setObject(2, e.id);
            ps.setInt(3, e.waitSeq);
            ps.setObject(4, SqlValues.utc(now));
            ps.executeUpdate();
        }
    }

    /** Ends {@code e} with {@code status} ({@code completed} or {@code exited}) for {@code reason}. */
    void end(Enrollment e, String status, String reason) throws SQLException {
        e.status = status;
        e.step = null;
        e.waiting = null;
        try (PreparedStatement ps = c.prepareStatement("update crm_enrollment set status = ?, step = null, waiting = null, wait_seq = ?, "
                + "customer_id = ?, updated_at = ?, ended_at = ?, end_reason = ? where id = ?")) {
            ps.setString(1, status);
            ps.setInt(2, e.waitSeq);
            ps.setObject(3, e.customerId);
            ps.setObject(4, SqlValues.utc(now));
            ps.setObject(5, SqlValues.utc(now));
            ps.setString(6, CelValues.clean(reason));
            ps.setObject(7, e.id);
            ps.executeUpdate();
        }
    }

    /** Writes where {@code e} stands: its step, what it waits for, and its customer. */
    void save(Enrollment e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update crm_enrollment set step = ?, waiting = ?, wait_seq = ?, customer_id = ?, updated_at = ? where id = ?")) {
            ps.setString(1, e.step);
            ps.setString(2, e.waiting);
            ps.setInt(3, e.waitSeq);
            ps.setObject(4, e.customerId);
            ps.setObject(5, SqlValues.utc(now));
            ps.setObject(6, e.id);
            ps.executeUpdate();
        }
    }
}
