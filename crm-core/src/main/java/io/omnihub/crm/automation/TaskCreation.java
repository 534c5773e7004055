package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A task action: opens a staff task at once, for the assignee it names or the one the task
 * assignment gives for the customer's store, region or lead source, with the timer that escalates it
 * to the manager ({@link TaskEscalation}) when it is to be escalated and there is a manager.
 */
final class TaskCreation {

    private final Connection c;
    private final Instant now;
    private final Definitions definitions;
    private final ActionRecorder recorder;

    TaskCreation(Connection c, Instant now, Definitions definitions, ActionRecorder recorder) {
        this.c = c;
        this.now = now;
        this.definitions = definitions;
        this.recorder = recorder;
    }

    /** Carries out {@code task}; false when {@code actionId} had been recorded before (nothing done now). */
    boolean apply(String actionId, String origin, ActionSpec.Task task, CustomerFacts customer, Map<String, Object> vars)
            throws SQLException {
        String title = CelValues.clean(task.title().renderText(vars));
        String note = task.note() == null ? null : CelValues.clean(task.note().renderText(vars));
        String assignee;
        String manager;
        String key = null;
        Assignment assignment = definitions.assignment();
        if (task.assignBy() != null) {
            key = assignmentKey(task, customer, vars);
            Assignment.Assignee entry = assignment.find(task.assignBy(), key).orElse(assignment.fallback());
            assignee = entry.assignee();
            manager = entry.manager() != null ? entry.manager() : assignment.fallback().manager();
        } else {
            assignee = CelValues.clean(task.assignee().renderText(vars));
            manager = assignment.fallback().manager();
        }
        UUID taskId = Uuids.v7(now);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("taskId", taskId.toString());
        payload.put("title", title);
        payload.put("assignee", assignee);
        if (!recorder.record(actionId, customer.id, origin, "task", null, null, null, payload, false, null, "done", null, now)) {
            return false;
        }
        Instant escalateAt = task.escalateAfter() == null || manager == null ? null : now.plus(task.escalateAfter());
        try (PreparedStatement ps = c.prepareStatement("""
                insert into crm_task (id, action_id, customer_id, title, note, assignee, manager, store, region, lead_source, origin,
                                      status, due_at, escalate_at, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)
                """)) {
            ps.setObject(1, taskId);
            ps.setString(2, actionId);
            ps.setObject(3, customer.id);
            ps.setString(4, title);
            ps.setString(5, note);
            ps.setString(6, assignee);
            ps.setString(7, manager);
            ps.setString(8, "store".equals(task.assignBy()) ? key : null);
            ps.setString(9, "region".equals(task.assignBy()) ? key : null);
            ps.setString(10, "source".equals(task.assignBy()) ? key : null);
            ps.setString(11, origin);
            ps.setObject(12, task.due() == null ? null : SqlValues.utc(now.plus(task.due())));
            ps.setObject(13, SqlValues.utc(escalateAt));
            ps.setObject(14, SqlValues.utc(now));
            ps.executeUpdate();
        }
        if (escalateAt != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crm_timer (due_at, kind, task_id, created_at) values (?, 'task', ?, ?)")) {
                ps.setObject(1, SqlValues.utc(escalateAt));
                ps.setObject(2, taskId);
                ps.setObject(3, SqlValues.utc(now));
                ps.executeUpdate();
            }
        }
        return true;
    }

    private static String assignmentKey(ActionSpec.Task task, CustomerFacts customer, Map<String, Object> vars) {
        Object value;
        if (task.key() != null) {
            try {
                value = task.key().evaluate(vars);
            } catch (Expression.EvaluationException e) {
                value = null; // no such key for this customer: the fallback assignee gets the task
            }
        } else {
            String attribute = switch (task.assignBy()) {
                case "region" -> "region";
                case "store" -> "homeStore";
                default -> "leadSource";
            };
            value = customer.attributes.get(attribute);
        }
        return value == null ? null : CelValues.clean(Template.text(Template.jsonValue(value)));
    }
}
