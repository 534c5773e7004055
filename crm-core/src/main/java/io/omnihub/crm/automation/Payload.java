package io.omnihub.crm.automation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tree of values from a definition (an action's payload, a webhook body) whose strings are
 * {@link Template}s, rendered for one customer when the action is planned.
 */
public final class Payload {

    private final Object tree; // Map<String, Object> / List<Object> / Template / Long / Double / Boolean / null

    private Payload(Object tree) {
        this.tree = tree;
    }

    static Payload of(Object tree) {
        return new Payload(tree);
    }

    public static Payload empty() {
        return new Payload(new LinkedHashMap<String, Object>());
    }

    /** The rendered tree; a map at the top. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> render(Map<String, ?> variables) {
        Object out = render(tree, variables);
        return out instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("value", out);
    }

    private static Object render(Object node, Map<String, ?> variables) {
        if (node instanceof Template t) {
            return t.render(variables);
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, render(v, variables)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(render(v, variables)));
            return out;
        }
        return node;
    }
}
