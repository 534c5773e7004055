package io.omnihub.crm.automation;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled CEL expression with where it was written. Thread-safe.
 *
 * <p>An expression that fails while evaluating (a map key that is not there, a division by zero, an
 * evaluation over its {@link EvaluationBudget}) counts as false in a condition: a rule about
 * {@code event.order} simply does not apply to events without an order. Use {@code has(...)} or
 * optional access to be explicit.
 */
public final class Expression {

    private static final Logger LOG = LoggerFactory.getLogger(Expression.class);

    private final String source;
    private final Location location;
    private final CelRuntime.Program program;

    Expression(String source, Location location, CelRuntime.Program program) {
        this.source = source;
        this.location = location;
        this.program = program;
    }

    public String source() {
        return source;
    }

    public Location location() {
        return location;
    }

    /**
     * The value, or throws {@link EvaluationException} naming the expression and its location
     * (never the variables' values, which hold personal data).
     */
    public Object evaluate(Map<String, ?> variables) {
        try {
            return program.trace(variables, new EvaluationBudget());
        } catch (CelEvaluationException | RuntimeException e) {
            throw new EvaluationException(location + ": '" + source.strip() + "' failed: " + firstLine(e.getMessage()), e);
        } catch (StackOverflowError e) {
            throw new EvaluationException(location + ": '" + source.strip() + "' failed: the data it reads is nested too deep", e);
        }
    }

    /** True only when it evaluates to {@code true}; false when it fails or gives anything else. */
    public boolean test(Map<String, ?> variables) {
        try {
            return Boolean.TRUE.equals(evaluate(variables));
        } catch (EvaluationException e) {
            LOG.debug("condition counts as false: {}", e.getMessage());
            return false;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public String toString() {
        return source;
    }

    /** An expression failed at run time. */
    public static final class EvaluationException extends RuntimeException {
        EvaluationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
