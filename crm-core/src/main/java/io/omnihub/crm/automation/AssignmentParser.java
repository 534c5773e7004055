package io.omnihub.crm.automation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code assignment:}, who gets a staff task: tables by region, store and source, and a
 * fallback. An assignee is a name, or a mapping of {@code assignee} and {@code manager}.
 */
final class AssignmentParser {

    private AssignmentParser() {
    }

    static Assignment assignment(String source, Node node) {
        YamlFields a = new YamlFields(source, node, "'assignment'").only("regions", "stores", "sources", "fallback");
        Map<String, Assignment.Assignee> regions = assignees(a, "regions");
        Map<String, Assignment.Assignee> stores = assignees(a, "stores");
        Map<String, Assignment.Assignee> sources = assignees(a, "sources");
        Node fallbackNode = a.node("fallback");
        Assignment.Assignee fallback = fallbackNode == null ? null : assignee(source, fallbackNode, "'fallback' of 'assignment'");
        a.finish();
        return new Assignment(regions, stores, sources, fallback);
    }

    private static Map<String, Assignment.Assignee> assignees(YamlFields a, String field) {
        Map<String, Assignment.Assignee> out = new LinkedHashMap<>();
        Node node = a.node(field);
        if (node == null) {
            return out;
        }
        YamlFields table = new YamlFields(a.location().source(), node, "'" + field + "' of 'assignment'");
        for (String key : List.copyOf(table.names())) {
            out.put(key, assignee(a.location().source(), table.requireNode(key), "'" + key + "' in '" + field + "'"));
        }
        table.finish();
        return out;
    }

    private static Assignment.Assignee assignee(String source, Node node, String what) {
        if (node instanceof ScalarNode scalar) {
            return new Assignment.Assignee(scalar.getValue(), null);
        }
        YamlFields e = new YamlFields(source, node, what).only("assignee", "manager");
        Assignment.Assignee out = new Assignment.Assignee(e.requireText("assignee"), e.text("manager"));
        e.finish();
        return out;
    }
}
