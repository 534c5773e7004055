package io.omnihub.crm.automation;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads automation definitions from YAML (docs/automation.md has the reference). Every problem is a
 * {@link DefinitionException} naming the source, the line and what is wrong; CEL expressions are
 * compiled as they are read, so a definition that loads can run. Journeys, traits, actions,
 * assignment and RFM settings each have their own reader; rules and segments, a few fields each,
 * are read here.
 */
public final class DefinitionParser {

    /** What ids look like: lower case letters, digits, '-', '_' and '.', up to 64 characters. */
    public static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    private static final int MAX_BYTES = 1 << 20;

    private DefinitionParser() {
    }

    /**
     * Parses a definitions file: a mapping with any of {@code rules}, {@code segments}, {@code journeys}, {@code traits},
     * {@code assignment}, {@code rfm}.
     */
    public static DefinitionFile parseFile(String source, String yaml) {
        List<RuleDefinition> rules = new ArrayList<>();
        List<SegmentDefinition> segments = new ArrayList<>();
        List<JourneyDefinition> journeys = new ArrayList<>();
        Assignment assignment = null;
        RfmSettings rfm = null;
        List<TraitDefinition> traits = new ArrayList<>();
        for (Node document : compose(source, yaml)) {
            if (YamlFields.isNull(document)) {
                continue;
            }
            YamlFields top = new YamlFields(source, document, "a definitions file")
                    .only("rules", "segments", "journeys", "assignment", "rfm", "traits");
            for (Node node : top.list("rules")) {
                rules.add(rule(source, node));
            }
            for (Node node : top.list("segments")) {
                segments.add(segment(source, node));
            }
            for (Node node : top.list("journeys")) {
                journeys.add(JourneyParser.journey(source, node));
            }
            for (Node node : top.list("traits")) {
                traits.add(TraitParser.trait(source, node));
            }
            Node a = top.node("assignment");
            if (a != null) {
                if (assignment != null) {
                    throw top.problem(a, "'assignment' appears twice in one file");
                }
                assignment = AssignmentParser.assignment(source, a);
            }
            Node r = top.node("rfm");
            if (r != null) {
                if (rfm != null) {
                    throw top.problem(r, "'rfm' appears twice in one file");
                }
                rfm = RfmParser.rfm(source, r);
            }
            top.finish();
        }
        return new DefinitionFile(source, rules, segments, journeys, assignment, rfm, traits);
    }

    /** The kinds of definitions written one at a time over the API. */
    public enum Kind {
        RULE("rule", "rules"), SEGMENT("segment", "segments"), JOURNEY("journey", "journeys");

        private final String singular;
        private final String plural;

        Kind(String singular, String plural) {
            this.singular = singular;
            this.plural = plural;
        }

        public String singular() {
            return singular;
        }

        public String plural() {
            return plural;
        }

        public static Kind of(String singular) {
            for (Kind k : values()) {
                if (k.singular.equals(singular)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no definition kind " + singular);
        }
    }

    /**
     * Parses one definition written over the API (YAML or JSON): a mapping with the definition's
     * fields; {@code id} may be left out and must otherwise be {@code id}.
     */
    public static DefinitionFile parseOne(Kind kind, String id, String yaml) {
        String source = "api:" + kind.plural() + "/" + id;
        if (!ID.matcher(id).matches()) {
            throw new DefinitionException(new Location(source, 0), "'" + id + "' is not a valid id: " + ID.pattern());
        }
        List<Node> documents = compose(source, yaml);
        if (documents.size() != 1 || YamlFields.isNull(documents.get(0))) {
            throw new DefinitionException(new Location(source, 1), "expected exactly one " + kind.singular() + " definition");
        }
        Node node = documents.get(0);
        if (node instanceof MappingNode mapping) {
            boolean hasId = false;
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("id")) {
                    hasId = true;
                    if (!(tuple.getValueNode() instanceof ScalarNode value) || !value.getValue().equals(id)) {
                        throw new DefinitionException(YamlFields.location(source, tuple.getValueNode()),
                                "id in the body must be '" + id + "' as in the path");
                    }
                }
            }
            if (!hasId) {
                List<NodeTuple> tuples = new ArrayList<>(mapping.getValue());
                tuples.add(0, new NodeTuple(new ScalarNode(Tag.STR, "id", null, null, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN),
                        new ScalarNode(Tag.STR, id, null, null, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN)));
                mapping.setValue(tuples);
            }
        }
        return switch (kind) {
            case RULE -> new DefinitionFile(source, List.of(rule(source, node)), List.of(), List.of(), null, null);
            case SEGMENT -> new DefinitionFile(source, List.of(), List.of(segment(source, node)), List.of(), null, null);
            case JOURNEY -> new DefinitionFile(source, List.of(), List.of(), List.of(JourneyParser.journey(source, node)), null, null);
        };
    }

    /** A journey from the canonical JSON stored with an enrollment's version. */
    public static JourneyDefinition journeyFromCanonical(String journeyId, String canonicalJson) {
        String source = "stored:" + journeyId;
        return JourneyParser.journey(source, compose(source, canonicalJson).get(0));
    }

    private static List<Node> compose(String source, String yaml) {
        if (yaml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new DefinitionException(new Location(source, 0), "larger than " + MAX_BYTES + " bytes");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_BYTES);
        try {
            List<Node> out = new ArrayList<>();
            for (Node node : new Yaml(options).composeAll(new StringReader(yaml))) {
                YamlExpansion.requireWithinBounds(source, node);
                out.add(node);
            }
            return out;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new DefinitionException(new Location(source, line), "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new DefinitionException(new Location(source, 0), "not valid YAML: " + e.getMessage());
        }
    }

    private static RuleDefinition rule(String source, Node node) {
        YamlFields f = new YamlFields(source, node, "a rule");
        String id = f.id();
        YamlFields r = f.describedAs("rule '" + id + "'").only("id", "description", "on", "when", "then");
        String description = r.text("description");
        Set<String> on = new LinkedHashSet<>();
        for (String type : r.texts("on")) {
            on.add(r.eventType("on", type));
        }
        Expression when = r.has("when") ? r.expression("when", ExpressionLanguage.Scope.EVENT) : null;
        List<ActionSpec> then = new ArrayList<>();
        for (Node item : r.list("then")) {
            then.add(ActionParser.item(source, item, ExpressionLanguage.Scope.EVENT, "an action of rule '" + id + "'"));
        }
        if (then.isEmpty()) {
            throw r.problem(node, "rule '" + id + "' needs 'then': a list of actions");
        }
        r.finish();
        return new RuleDefinition(id, description, Set.copyOf(on), when, List.copyOf(then), r.location());
    }

    private static SegmentDefinition segment(String source, Node node) {
        YamlFields f = new YamlFields(source, node, "a segment");
        String id = f.id();
        YamlFields s = f.describedAs("segment '" + id + "'").only("id", "description", "when");
        String description = s.text("description");
        s.requireNode("when");
        Expression when = s.expression("when", ExpressionLanguage.Scope.CUSTOMER);
        s.finish();
        return new SegmentDefinition(id, description, when, s.location());
    }
}
