package io.omnihub.crm.automation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The fields of one YAML mapping, read strictly: every read names the field, every problem names
 * the line, and {@link #finish()} refuses fields nobody read (a typo must not pass silently). Reads
 * are typed as definitions use them (text, lists, booleans, ids, event types, durations, CEL
 * expressions, templates), so every definition reports the same problem in the same words.
 */
final class YamlFields {

    /** What event types look like: {@code order.paid}. */
    static final Pattern EVENT_TYPE = Pattern.compile("^[a-z]+(\\.[a-z_]+)+$");

    private final String source;
    private final String what;
    private final Node node;
    private final Map<String, Node> fields = new LinkedHashMap<>();
    private final Set<String> read = new LinkedHashSet<>();

    YamlFields(String source, Node node, String what) {
        this.source = source;
        this.what = what;
        this.node = node;
        if (!(node instanceof MappingNode mapping)) {
            throw problem(node, what + " must be a mapping of fields");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw problem(tuple.getKeyNode(), "field names in " + what + " must be plain text");
            }
            if (fields.put(key.getValue(), tuple.getValueNode()) != null) {
                throw problem(key, "field '" + key.getValue() + "' appears twice in " + what);
            }
        }
    }

    String what() {
        return what;
    }

    Location location() {
        return location(source, node);
    }

    Location location(String field) {
        Node value = fields.get(field);
        return value == null ? location() : location(source, value);
    }

    static Location location(String source, Node node) {
        int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        if (node instanceof ScalarNode scalar && (scalar.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                || scalar.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED)) {
            line++; // a block scalar's text starts on the line after its indicator
        }
        return new Location(source, line);
    }

    boolean has(String field) {
        return fields.containsKey(field) && !isNull(fields.get(field));
    }

    Set<String> names() {
        return fields.keySet();
    }

    Node node(String field) {
        read.add(field);
        Node value = fields.get(field);
        return value == null || isNull(value) ? null : value;
    }

    Node requireNode(String field) {
        Node value = node(field);
        if (value == null) {
            throw problem(node, what + " needs '" + field + "'");
        }
        return value;
    }

    String text(String field) {
        Node value = node(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ScalarNode scalar)) {
            throw problem(value, "'" + field + "' in " + what + " must be text, not a " + kind(value));
        }
        return scalar.getValue();
    }

    String requireText(String field) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw problem(node, what + " needs '" + field + "'");
        }
        return value;
    }

    boolean bool(String field, boolean fallback) {
        Node value = node(field);
        if (value == null) {
            return fallback;
        }
        if (value instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            return Boolean.parseBoolean(scalar.getValue().toLowerCase(java.util.Locale.ROOT));
        }
        throw problem(value, "'" + field + "' in " + what + " must be true or false");
    }

    /** A scalar or a list of scalars, as a list. */
    List<String> texts(String field) {
        Node value = node(field);
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value instanceof ScalarNode scalar) {
            out.add(scalar.getValue());
            return out;
        }
        for (Node item : sequence(value, field)) {
            if (!(item instanceof ScalarNode scalar)) {
                throw problem(item, "'" + field + "' in " + what + " must list plain values");
            }
            out.add(scalar.getValue());
        }
        return out;
    }

    /** The definition's 'id': required, and a {@link DefinitionParser#ID}. */
    String id() {
        String id = requireText("id");
        if (!DefinitionParser.ID.matcher(id).matches()) {
            throw problem(node("id"), "'" + id + "' is not a valid id: " + DefinitionParser.ID.pattern());
        }
        return id;
    }

    /**
     * The same fields, those read so far still read, named {@code what} in further messages: once
     * its id is known, a definition's problems name it.
     */
    YamlFields describedAs(String what) {
        YamlFields renamed = new YamlFields(source, node, what);
        renamed.read.addAll(read);
        return renamed;
    }

    /** {@code type}, a value read from {@code field}, if it is an event type. */
    String eventType(String field, String type) {
        if (!EVENT_TYPE.matcher(type).matches()) {
            throw problem(node(field), "'" + type + "' is not an event type (like order.paid)");
        }
        return type;
    }

    /** {@code text}, a value read from {@code field}, as a positive duration. */
    Duration duration(String field, String text) {
        Duration d = Durations.parse(text);
        if (d == null || d.isZero() || d.isNegative()) {
            throw problem(node(field), "'" + text + "' is not a duration: use 30s, 15m, 24h, 7d or ISO-8601 such as PT24H");
        }
        return d;
    }

    /** A required CEL expression, compiled now so that a definition that loads can run. */
    Expression expression(String field, ExpressionLanguage.Scope scope) {
        Node value = requireNode(field);
        if (!(value instanceof ScalarNode scalar)) {
            throw problem(value, "'" + field + "' in " + what + " must be a CEL expression");
        }
        return ExpressionLanguage.get().compile(scalar.getValue(), scope, location(source, value));
    }

    /** The text of {@code field} as a template for {@code scope}; null when it is optional and left out. */
    Template template(String field, ExpressionLanguage.Scope scope, boolean required) {
        String text = required ? requireText(field) : text(field);
        return text == null ? null : Template.parse(text, scope, location(field));
    }

    List<Node> sequence(Node value, String field) {
        if (!(value instanceof SequenceNode sequence)) {
            throw problem(value, "'" + field + "' in " + what + " must be a list");
        }
        return sequence.getValue();
    }

    List<Node> list(String field) {
        Node value = node(field);
        return value == null ? List.of() : sequence(value, field);
    }

    /**
     * Refuses, before anything else is read, any field not in {@code known}, naming the closest
     * known one: a typo is reported as a typo, not as a missing field.
     */
    YamlFields only(String... known) {
        List<String> allowed = List.of(known);
        for (String name : fields.keySet()) {
            if (!allowed.contains(name)) {
                String closest = null;
                int best = Integer.MAX_VALUE;
                for (String k : allowed) {
                    int d = distance(name, k);
                    if (d < best) {
                        best = d;
                        closest = k;
                    }
                }
                String hint = closest != null && best <= Math.max(2, closest.length() / 3)
                        ? " (did you mean '" + closest + "'?)" : " (known here: " + String.join(", ", allowed) + ")";
                throw problem(keyNode(name), "unknown field '" + name + "' in " + what + hint);
            }
        }
        return this;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Refuses fields nobody asked for. */
    void finish() {
        for (String name : fields.keySet()) {
            if (!read.contains(name)) {
                List<String> known = new ArrayList<>(read);
                throw problem(keyNode(name), "unknown field '" + name + "' in " + what
                        + (known.isEmpty() ? "" : " (known here: " + String.join(", ", known) + ")"));
            }
        }
    }

    private Node keyNode(String name) {
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
                return key;
            }
        }
        return node;
    }

    DefinitionException problem(Node at, String message) {
        return new DefinitionException(location(source, at), message);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "mapping";
        }
        if (node instanceof SequenceNode) {
            return "list";
        }
        return "value";
    }

    /** The node as plain Java: maps, lists, strings, longs, doubles, booleans, null. */
    static Object plain(Node node) {
        if (node instanceof MappingNode mapping) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                out.put(((ScalarNode) tuple.getKeyNode()).getValue(), plain(tuple.getValueNode()));
            }
            return out;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> out = new ArrayList<>();
            sequence.getValue().forEach(item -> out.add(plain(item)));
            return out;
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        String value = scalar.getValue();
        try {
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            if (Tag.BOOL.equals(tag)) {
                return Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT));
            }
            if (Tag.INT.equals(tag)) {
                return Long.parseLong(value.replace("_", ""));
            }
            if (Tag.FLOAT.equals(tag)) {
                return Double.parseDouble(value.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return value;
        }
        return value;
    }
}
