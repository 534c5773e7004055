package io.omnihub.crm.automation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * The customer's scores: a score action adds to one or sets it, at once; RFM sets its own through
 * {@link #set} without an action record. The customer's facts are kept current.
 */
final class CustomerScores {

    private final Connection c;
    private final Instant now;
    private final ActionRecorder recorder;

    CustomerScores(Connection c, Instant now, ActionRecorder recorder) {
        this.c = c;
        this.now = now;
        this.recorder = recorder;
    }

    /** Carries out {@code score}; false when {@code actionId} had been recorded before (nothing done now). */
    boolean apply(String actionId, String origin, ActionSpec.Score score, CustomerFacts customer, Map<String, Object> vars)
            throws SQLException {
        boolean add = score.add() != null;
        long value = whole(add ? score.add() : score.set(), vars);
        if (!recorder.record(actionId, customer.id, origin, score.name(), null, null, null,
                Map.of("name", score.scoreName(), add ? "add" : "set", value), false, null, "done", null, now)) {
            return false;
        }
        set(c, customer, score.scoreName(), value, add);
        return true;
    }

    /** Adds to or sets a score (no action record: RFM uses this directly). */
    static void set(Connection c, CustomerFacts customer, String name, long value, boolean add) throws SQLException {
        if (!add && Long.valueOf(value).equals(customer.scores.get(name))) {
            return; // unchanged: no statement
        }
        customer.changed();
        try (PreparedStatement ps = c.prepareStatement(add
                ? "insert into crm_score (customer_id, name, value) values (?, ?, ?) "
                + "on conflict (customer_id, name) do update set value = crm_score.value + excluded.value returning value"
                : "insert into crm_score (customer_id, name, value) values (?, ?, ?) "
                + "on conflict (customer_id, name) do update set value = excluded.value returning value")) {
            ps.setObject(1, customer.id);
            ps.setString(2, name);
            ps.setLong(3, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                customer.scores.put(name, rs.getLong(1));
            }
        }
    }

    private static long whole(Expression expression, Map<String, Object> vars) {
        Object v = expression.evaluate(vars);
        if (v instanceof Number n) {
            return Math.round(n.doubleValue());
        }
        if (v instanceof String s) {
            try {
                return Math.round(Double.parseDouble(s.strip()));
            } catch (NumberFormatException e) {
                throw new Expression.EvaluationException(expression.location() + ": '" + expression.source()
                        + "' gave text that is not a number", e);
            }
        }
        throw new Expression.EvaluationException(expression.location() + ": '" + expression.source()
                + "' gave " + (v == null ? "null" : v.getClass().getSimpleName()) + ", not a number", null);
    }
}
