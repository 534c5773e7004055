package io.omnihub.crm.automation;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A worst-case estimate of what evaluating a CEL expression can cost, worked out from its syntax
 * tree before it is ever run, so that a definition whose expression could allocate or compute
 * without bound is refused when it is written, not when every node evaluates it.
 *
 * <p>Two figures, both in "units" (characters of a string, elements of a list or map, steps):
 * <ul>
 *   <li>{@link #largestValue}: the largest value any part of the expression can produce, taking
 *       every input (a variable, a field of one) to be as large as {@link #INPUT_SIZE}. Growth from
 *       concatenation, {@code replace}, {@code join}, {@code format} and the list macros is followed;
 *       a {@code replace} or {@code join} whose inserted text comes from the input grows with the
 *       square of the input.</li>
 *   <li>{@link #steps}: how much work the evaluation can take: every node once, string functions
 *       in proportion to the strings they scan, macro bodies once per element, up to
 *       {@link #MAX_ITERATIONS} elements (the interpreter's own limit).</li>
 * </ul>
 * The estimate is deliberately simple and errs on the side of refusing: any expression a definition
 * needs ({@code has(event.order) && event.order.totalMinor >= 100000}, {@code 'VIP' in customer.tags})
 * is many orders of magnitude below the bounds.
 */
final class ExpressionCost {

    /** What any input value is taken to be at most: 100,000 characters or elements. */
    static final double INPUT_SIZE = 100_000;
    /** The comprehension iterations one evaluation may take (the interpreter stops there). */
    static final int MAX_ITERATIONS = 10_000;

    private static final Set<String> BOOLEAN_OR_SCALAR = Set.of(
            "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_", "_&&_", "_||_", "!_", "@in", "@not_strictly_false", "_-_", "_*_",
            "_/_", "_%_", "-_", "size", "contains", "startsWith", "endsWith", "matches", "indexOf", "lastIndexOf", "charAt",
            "int", "uint", "double", "bool", "type", "timestamp", "duration", "getFullYear", "getMonth", "getDate",
            "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
            "hasValue", "daysBetween", "monthOf", "dayOfMonthOf");
    /** Functions that read the whole of their arguments (scan cost proportional to their size). */
    private static final Set<String> SCANNING = Set.of(
            "@in", "contains", "startsWith", "endsWith", "matches", "indexOf", "lastIndexOf", "replace", "split", "join",
            "lowerAscii", "upperAscii", "trim", "reverse", "quote", "format", "substring", "_+_", "_==_", "_!=_", "string");

    private final double largestValue;
    private final double steps;

    private ExpressionCost(double largestValue, double steps) {
        this.largestValue = largestValue;
        this.steps = steps;
    }

    /** The estimate for an expression's syntax tree. */
    static ExpressionCost of(CelExpr root) {
        Walk walk = new Walk();
        Estimate estimate = walk.estimate(root, Map.of());
        return new ExpressionCost(Math.max(walk.largest, estimate.size), estimate.steps);
    }

    /** The largest value (characters or elements) any part of the expression can produce. */
    double largestValue() {
        return largestValue;
    }

    /** The work one evaluation can take, in steps. */
    double steps() {
        return steps;
    }

    /** Size and work of one sub-expression. */
    private record Estimate(double size, double steps) {
    }

    private static final class Walk {

        private double largest;

        Estimate estimate(CelExpr expr, Map<String, Double> bound) {
            Estimate estimate = switch (expr.getKind()) {
                case CONSTANT -> new Estimate(constantSize(expr.constant()), 1);
                case IDENT -> new Estimate(bound.getOrDefault(expr.ident().name(), INPUT_SIZE), 1);
                case SELECT -> {
                    Estimate operand = estimate(expr.select().operand(), bound);
                    yield new Estimate(expr.select().testOnly() ? 1 : operand.size, operand.steps + 1);
                }
                case LIST -> sum(expr.list().elements(), bound, 1);
                case MAP -> {
                    double size = 1;
                    double steps = 1;
                    for (CelExpr.CelMap.Entry entry : expr.map().entries()) {
                        Estimate key = estimate(entry.key(), bound);
                        Estimate value = estimate(entry.value(), bound);
                        size += key.size + value.size;
                        steps += key.steps + value.steps;
                    }
                    yield new Estimate(size, steps);
                }
                case STRUCT -> {
                    double size = 1;
                    double steps = 1;
                    for (CelExpr.CelStruct.Entry entry : expr.struct().entries()) {
                        Estimate value = estimate(entry.value(), bound);
                        size += value.size;
                        steps += value.steps;
                    }
                    yield new Estimate(size, steps);
                }
                case CALL -> call(expr.call(), bound);
                case COMPREHENSION -> comprehension(expr.comprehension(), bound);
                case NOT_SET -> new Estimate(1, 1);
            };
            largest = Math.max(largest, estimate.size);
            return estimate;
        }

        private Estimate sum(List<CelExpr> parts, Map<String, Double> bound, double base) {
            double size = base;
            double steps = 1;
            for (CelExpr part : parts) {
                Estimate estimate = estimate(part, bound);
                size += estimate.size;
                steps += estimate.steps;
            }
            return new Estimate(size, steps);
        }

        private Estimate call(CelExpr.CelCall call, Map<String, Double> bound) {
            String function = call.function();
            Estimate target = call.target().map(t -> estimate(t, bound)).orElse(null);
            List<CelExpr> args = call.args();
            Estimate[] arg = new Estimate[args.size()];
            double steps = 1 + (target == null ? 0 : target.steps);
            double read = target == null ? 0 : target.size;
            for (int i = 0; i < args.size(); i++) {
                arg[i] = estimate(args.get(i), bound);
                steps += arg[i].steps;
                read += arg[i].size;
            }
            if (SCANNING.contains(function)) {
                steps += read;
            }
            double size = switch (function) {
                case "replace" -> target == null || arg.length < 2 ? read
                        // every occurrence of the old text (at most one per character, or per old text's
                        // length when it is a constant) becomes the new text
                        : target.size + occurrences(target.size, args.get(0)) * arg[1].size;
                case "join" -> target == null ? read
                        : target.size + (arg.length == 0 ? 0 : target.size * arg[0].size);
                case "_?_:_" -> Math.max(arg[1].size, arg[2].size);
                case "_[_]", "_[?_]", "optional.of", "optional.ofNonZeroValue", "value", "dyn" ->
                        target != null ? target.size : arg.length > 0 ? arg[0].size : 1;
                case "orValue", "or" -> Math.max(target == null ? 1 : target.size, arg.length > 0 ? arg[0].size : 1);
                case "quote" -> 2 * read + 2;
                default -> BOOLEAN_OR_SCALAR.contains(function) ? 1 : read;
            };
            return new Estimate(Math.max(size, 1), steps);
        }

        private static double occurrences(double size, CelExpr old) {
            if (old.getKind() == CelExpr.ExprKind.Kind.CONSTANT && old.constant().getKind() == CelConstant.Kind.STRING_VALUE
                    && !old.constant().stringValue().isEmpty()) {
                return size / old.constant().stringValue().length();
            }
            return size + 1;
        }

        /**
         * A macro ({@code map}, {@code filter}, {@code exists}, ...): the accumulator grows by the loop
         * step once per element. An element is at most the whole range, and all elements together no
         * more than the range, so a step's size counts once with the element as large as the range and
         * once per element with an element of size one.
         */
        private Estimate comprehension(CelExpr.CelComprehension comprehension, Map<String, Double> bound) {
            Estimate range = estimate(comprehension.iterRange(), bound);
            double iterations = Math.min(range.size, MAX_ITERATIONS);
            Estimate init = estimate(comprehension.accuInit(), bound);
            Map<String, Double> whole = new HashMap<>(bound);
            Map<String, Double> one = new HashMap<>(bound);
            for (String variable : new String[] {comprehension.iterVar(), comprehension.iterVar2()}) {
                if (variable != null && !variable.isEmpty()) {
                    whole.put(variable, range.size);
                    one.put(variable, 1.0);
                }
            }
            whole.put(comprehension.accuVar(), 0.0);
            one.put(comprehension.accuVar(), 0.0);
            Estimate stepWhole = estimate(comprehension.loopStep(), whole);
            Estimate stepOne = estimate(comprehension.loopStep(), one);
            Estimate conditionOne = estimate(comprehension.loopCondition(), one);
            double accumulated = init.size + stepWhole.size + iterations * stepOne.size;
            Map<String, Double> done = new HashMap<>(bound);
            done.put(comprehension.accuVar(), accumulated);
            Estimate result = estimate(comprehension.result(), done);
            double steps = range.steps + init.steps + stepWhole.steps + iterations * (stepOne.steps + conditionOne.steps) + result.steps;
            largest = Math.max(largest, accumulated);
            return new Estimate(result.size, steps);
        }

        private static double constantSize(CelConstant constant) {
            return switch (constant.getKind()) {
                case STRING_VALUE -> Math.max(1, constant.stringValue().length());
                case BYTES_VALUE -> Math.max(1, constant.bytesValue().size());
                default -> 1;
            };
        }
    }
}
