package io.omnihub.crm.automation;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one entry of {@code traits:} (docs/automation.md, "Windowed traits"):
 *
 * <pre>
 * - id: runningShoeViews7d
 *   count: page.viewed                                   # event types counted (one or a list) ...
 *   where: "event.extra.category == 'running-shoes'"     # ... that pass this (optional)
 *   window: 7d
 * - id: spend90d
 *   sum: event.order.totalMinor                          # ... or a number added per event
 *   on: [order.paid, store.purchased]
 *   window: 90d
 * - id: runningShoeUnits90d
 *   sum: line.quantity
 *   over: lines                                          # where/sum per line of the event's order
 *   where: "line.category == 'running-shoes'"
 *   on: [order.paid, store.purchased]
 *   window: 90d
 * </pre>
 */
final class TraitParser {

    /** Trait ids are CEL field names: {@code customer.traits.runningShoeViews7d}. */
    static final Pattern ID = Pattern.compile("^[a-z][A-Za-z0-9_]{0,63}$");

    private TraitParser() {
    }

    static TraitDefinition trait(String source, Node node) {
        YamlFields f = new YamlFields(source, node, "a trait");
        String id = f.requireText("id");
        if (!ID.matcher(id).matches()) {
            throw f.problem(f.node("id"), "'" + id + "' is not a valid trait id: it is read as customer.traits." + id
                    + ", so use letters, digits and '_', starting with a lower-case letter (" + ID.pattern() + ")");
        }
        String what = "trait '" + id + "'";
        YamlFields t = f.describedAs(what).only("id", "description", "count", "sum", "on", "where", "over", "window");
        String description = t.text("description");
        boolean count = t.has("count");
        if (count == t.has("sum")) {
            throw t.problem(node, what + " needs either 'count' (the event types it counts) or 'sum' (a number per event, with 'on')");
        }
        Set<String> on = new LinkedHashSet<>();
        String typesField = count ? "count" : "on";
        if (!count && !t.has("on")) {
            throw t.problem(node, what + " sums over events: say which with 'on' (event types)");
        }
        if (count && t.has("on")) {
            throw t.problem(t.node("on"), what + ": 'count' names the event types already; leave out 'on'");
        }
        for (String type : t.texts(typesField)) {
            on.add(t.eventType(typesField, type));
        }
        if (on.isEmpty()) {
            throw t.problem(t.node(typesField), what + ": '" + typesField + "' must name at least one event type");
        }
        String over = t.text("over");
        if (over != null && !over.equals("lines")) {
            throw t.problem(t.node("over"), what + ": 'over' can only be 'lines' (each line of the event's order)");
        }
        boolean overLines = over != null;
        ExpressionLanguage.Scope scope = overLines ? ExpressionLanguage.Scope.LINE : ExpressionLanguage.Scope.TRAIT;
        Expression where = t.has("where") ? t.expression("where", scope) : null;
        Expression sum = count ? null : t.expression("sum", scope);
        Duration window = t.duration("window", t.requireText("window"));
        if (window.compareTo(TraitDefinition.MAX_WINDOW) > 0) {
            throw t.problem(t.node("window"), what + ": the window may be at most 400d");
        }
        ChronoUnit unit = window.compareTo(TraitDefinition.HOURLY_UP_TO) <= 0 ? ChronoUnit.HOURS : ChronoUnit.DAYS;
        if (window.toSeconds() % unit.getDuration().toSeconds() != 0) {
            throw t.problem(t.node("window"), what + ": a window up to 7d is counted in whole hours, a longer one in whole days: '"
                    + t.text("window") + "' is neither");
        }
        t.finish();
        return new TraitDefinition(id, description, Set.copyOf(on), where, sum, overLines, window, fingerprint(node),
                t.location());
    }

    /** What the counters depend on: the definition without its description. */
    private static String fingerprint(Node node) {
        Object plain = YamlFields.plain(node);
        Map<Object, Object> counted = new LinkedHashMap<>();
        if (plain instanceof Map<?, ?> m) {
            counted.putAll(m);
            counted.remove("description");
            counted.remove("id");
        }
        return CanonicalJson.digest(CanonicalJson.of(counted));
    }
}
