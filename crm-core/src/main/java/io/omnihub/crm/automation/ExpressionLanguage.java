package io.omnihub.crm.automation;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelOptionalLibrary;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.Set;

/**
 * The Common Expression Language (CEL, {@code dev.cel:cel}) as automation definitions use it: safe,
 * side-effect free, guaranteed to terminate. Every variable is a map of dynamic values; numbers of
 * different types compare with each other ({@code event.order.totalMinor >= 1000.0}); optional
 * access ({@code customer.scores[?'churn_risk'].orValue(0)}) and the string extensions are on, and
 * {@link TimeFunctions} help with conditions over the current time.
 * See docs/automation.md for the variables.
 *
 * <p>Bounded twice: when a definition is written, an expression longer than {@link #MAX_SOURCE}
 * characters, nested deeper than {@link #MAX_DEPTH}, or whose worst case ({@link ExpressionCost})
 * could compute more than {@link #MAX_VALUE} characters or take more than {@link #MAX_STEPS} steps is
 * refused; when it runs, each evaluation stops at its {@link EvaluationBudget}.
 */
public final class ExpressionLanguage {

    /** The event being handled: {@code event}. */
    public static final String EVENT = "event";
    /** The customer it was applied to: {@code customer}. */
    public static final String CUSTOMER = "customer";
    /** In journeys, the event that started the enrollment: {@code trigger}. */
    public static final String TRIGGER = "trigger";
    /** The hub's current time as a timestamp: {@code now}. */
    public static final String NOW = "now";
    /** In traits counted over order lines, the line: {@code line}. */
    public static final String LINE = "line";

    /** Where an expression is used, and so which variables it may read. */
    public enum Scope {
        /** Rules and journey triggers: event, customer, now. */
        EVENT(Set.of("event", "customer", "now")),
        /** Segments: customer, now (membership does not depend on one event). */
        CUSTOMER(Set.of("customer", "now")),
        /** Journey steps: event, customer, trigger, now. */
        JOURNEY(Set.of("event", "customer", "trigger", "now")),
        /** Traits: event only (a counter cannot depend on the customer or the time it is counted at). */
        TRAIT(Set.of("event")),
        /** Traits over order lines: event and line. */
        LINE(Set.of("event", "line"));

        private final Set<String> variables;

        Scope(Set<String> variables) {
            this.variables = variables;
        }

        public Set<String> variables() {
            return variables;
        }
    }

    /** The longest expression, in characters (Unicode code points). */
    static final int MAX_SOURCE = 4_000;
    /** The deepest nesting of an expression's parts. */
    static final int MAX_DEPTH = 50;
    /** The largest value an expression may be able to compute, in characters or elements ({@link ExpressionCost}). */
    static final double MAX_VALUE = 1_000_000;
    /** The most work an expression may be able to take, in steps ({@link ExpressionCost}). */
    static final double MAX_STEPS = 10_000_000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .evaluateCanonicalTypesToNativeValues(true)
            // a list of a few thousand entries at most is all a definition ever walks
            .comprehensionMaxIterations(ExpressionCost.MAX_ITERATIONS)
            .maxExpressionCodePointSize(MAX_SOURCE)
            .maxParseRecursionDepth(MAX_DEPTH)
            // a regular expression compiled at run time (its pattern read from data) stays small
            .maxRegexProgramSize(1_000)
            // macros' accumulators are out of reach of the expression
            .enableHiddenAccumulatorVar(true)
            .build();

    private static final ExpressionLanguage INSTANCE = new ExpressionLanguage();

    private final java.util.Map<Scope, Cel> environments = new java.util.EnumMap<>(Scope.class);

    private ExpressionLanguage() {
        for (Scope scope : Scope.values()) {
            var builder = CelFactory.standardCelBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addCompilerLibraries(CelOptionalLibrary.INSTANCE, CelExtensions.strings())
                    .addRuntimeLibraries(CelOptionalLibrary.INSTANCE, CelExtensions.strings())
                    .addFunctionDeclarations(TimeFunctions.DECLARATIONS)
                    .addFunctionBindings(TimeFunctions.BINDINGS)
                    .setResultType(SimpleType.DYN);
            for (String variable : scope.variables()) {
                builder.addVar(variable, variable.equals(NOW) ? SimpleType.TIMESTAMP : MapType.create(SimpleType.STRING, SimpleType.DYN));
            }
            environments.put(scope, builder.build());
        }
    }

    /** The one instance; compiled programs are thread-safe and shared. */
    public static ExpressionLanguage get() {
        return INSTANCE;
    }

    /**
     * Compiles {@code source}.
     *
     * @param location where it was written, for messages ("automation/x.yaml" and its first line)
     * @throws DefinitionException naming the line and the problem when it does not compile
     */
    public Expression compile(String source, Scope scope, Location location) {
        if (source == null || source.isBlank()) {
            throw new DefinitionException(location, "the expression is empty");
        }
        Cel cel = environments.get(scope);
        try {
            CelAbstractSyntaxTree ast = cel.compile(source).getAst();
            ExpressionCost cost = ExpressionCost.of(ast.getExpr());
            if (cost.largestValue() > MAX_VALUE) {
                throw new DefinitionException(location, "CEL expression '" + oneLine(source) + "' is refused: it can build a value of "
                        + magnitude(cost.largestValue()) + " characters or elements from its inputs (the limit is " + magnitude(MAX_VALUE)
                        + "); a replace() or join() that inserts text taken from the input grows with the square of it");
            }
            if (cost.steps() > MAX_STEPS) {
                throw new DefinitionException(location, "CEL expression '" + oneLine(source) + "' is refused: it can take "
                        + magnitude(cost.steps()) + " steps on large inputs (the limit is " + magnitude(MAX_STEPS)
                        + "); avoid scanning the input once per element of a list");
            }
            return new Expression(source, location, cel.createProgram(ast));
        } catch (CelValidationException e) {
            CelIssue first = e.getErrors().isEmpty() ? null : e.getErrors().get(0);
            String problem = first == null ? e.getMessage() : first.getMessage();
            int line = location.line();
            if (first != null && first.getSourceLocation().getLine() > 1) {
                line += first.getSourceLocation().getLine() - 1;
            }
            String hint = problem.contains("undeclared reference") && !problem.contains("'has'")
                    ? " (variables here: " + String.join(", ", new java.util.TreeSet<>(scope.variables())) + ")" : "";
            throw new DefinitionException(new Location(location.source(), line),
                    "CEL expression '" + oneLine(source) + "' does not compile: " + problem + hint);
        } catch (CelEvaluationException e) {
            throw new DefinitionException(location, "CEL expression '" + oneLine(source) + "' cannot be planned: " + e.getMessage());
        }
    }

    private static String magnitude(double value) {
        return value >= 1e15 ? String.format(java.util.Locale.ROOT, "%.0e", value) : String.format(java.util.Locale.ROOT, "%,.0f", value);
    }

    private static String oneLine(String source) {
        String s = source.strip().replaceAll("\\s+", " ");
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
