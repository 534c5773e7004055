package io.omnihub.crm.automation;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * The run-time bound of one evaluation, for inputs larger than a definition's estimate assumed
 * ({@link ExpressionCost}): counts every node the interpreter evaluates and the size of every value
 * it computes (strings in characters, lists and maps in elements; values read from the input cost
 * nothing), and stops the evaluation once either passes its limit. Not thread-safe: one per evaluation.
 */
final class EvaluationBudget implements CelEvaluationListener {

    /** Nodes one evaluation may evaluate. */
    static final long MAX_STEPS = 1_000_000;
    /** Characters and elements one evaluation may compute, all values together. */
    static final long MAX_COMPUTED = 10_000_000;

    private long steps;
    private long computed;

    @Override
    public void callback(CelExpr expr, Object value) {
        if (++steps > MAX_STEPS) {
            throw new Exceeded("took more than " + MAX_STEPS + " steps");
        }
        CelExpr.ExprKind.Kind kind = expr.getKind();
        if (kind == CelExpr.ExprKind.Kind.CALL || kind == CelExpr.ExprKind.Kind.LIST || kind == CelExpr.ExprKind.Kind.MAP
                || kind == CelExpr.ExprKind.Kind.COMPREHENSION) {
            computed += sizeOf(value);
            if (computed > MAX_COMPUTED) {
                throw new Exceeded("computed more than " + MAX_COMPUTED + " characters and elements");
            }
        }
    }

    private static long sizeOf(Object value) {
        if (value instanceof CharSequence text) {
            return text.length();
        }
        if (value instanceof Collection<?> collection) {
            return collection.size();
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        return 1;
    }

    /** The evaluation went over its budget. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super("evaluation stopped: it " + message, null, false, false);
        }
    }
}
