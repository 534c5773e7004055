package io.omnihub.crm.automation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text with CEL expressions in double braces, as action payloads, task titles and webhook bodies
 * use them: {@code "Your cart of {{ string(trigger.order.totalMinor / 100) }} CNY is waiting"}.
 * A value that is one expression and nothing else ({@code "{{ trigger.order.totalMinor }}"}) keeps
 * the expression's type (a number stays a number). Expressions are compiled when the definition is
 * loaded, so a typo is refused then, not when a customer reaches the step.
 */
public final class Template {

    private final String text;
    private final List<Object> parts; // String or Expression
    private final boolean single;

    private Template(String text, List<Object> parts, boolean single) {
        this.text = text;
        this.parts = parts;
        this.single = single;
    }

    /** Parses {@code text}; plain text without braces is a constant. */
    public static Template parse(String text, ExpressionLanguage.Scope scope, Location location) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new DefinitionException(location, "'{{' without a closing '}}' in \"" + text + "\"");
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            parts.add(ExpressionLanguage.get().compile(text.substring(open + 2, close), scope, location));
            at = close + 2;
        }
        if (at < text.length()) {
            parts.add(text.substring(at));
        }
        boolean single = parts.size() == 1 && parts.get(0) instanceof Expression;
        return new Template(text, List.copyOf(parts), single);
    }

    public boolean isConstant() {
        return parts.stream().noneMatch(p -> p instanceof Expression);
    }

    /** The rendered value: text, or the single expression's value as JSON-able Java. */
    public Object render(Map<String, ?> variables) {
        if (single) {
            return jsonValue(((Expression) parts.get(0)).evaluate(variables));
        }
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            out.append(part instanceof Expression e ? text(jsonValue(e.evaluate(variables))) : part);
        }
        return out.toString();
    }

    /** The rendered value as text. */
    public String renderText(Map<String, ?> variables) {
        return text(render(variables));
    }

    @Override
    public String toString() {
        return text;
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    /** CEL results as plain JSON-able Java: maps, lists, strings, longs, doubles, booleans, null. */
    static Object jsonValue(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Number n) {
            return n instanceof Float ? (Object) n.doubleValue() : (Object) n.longValue();
        }
        if (value instanceof Instant i) {
            return i.toString();
        }
        if (value instanceof Duration d) {
            return d.toString();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), jsonValue(v)));
            return out;
        }
        if (value instanceof Iterable<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(jsonValue(v)));
            return out;
        }
        if (value.getClass().getName().endsWith("NullValue")) {
            return null;
        }
        return value.toString();
    }
}
