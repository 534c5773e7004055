package io.omnihub.crm.automation;

import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * How large a YAML document becomes once its aliases are expanded. An alias is a reference, cheap to
 * parse, but everything that walks the definition (the parser, the canonical JSON a journey version
 * is stored as) walks it once per reference: ten aliases of ten aliases of ... (a "billion laughs")
 * is a few lines that expand to more nodes than any node has memory. Counted without expanding,
 * each node once.
 */
final class YamlExpansion {

    /** The most nodes a definitions document may have, aliases expanded. */
    static final long MAX_NODES = 100_000;

    private YamlExpansion() {
    }

    /**
     * @throws DefinitionException when the document expands to more than {@link #MAX_NODES} nodes or
     *                             an alias refers to a collection it is part of
     */
    static void requireWithinBounds(String source, Node document) {
        long nodes = expanded(source, document, new IdentityHashMap<>());
        if (nodes > MAX_NODES) {
            throw new DefinitionException(YamlFields.location(source, document), "the YAML expands to " + nodes
                    + " nodes with its aliases (&anchor / *alias) followed, more than the " + MAX_NODES + " allowed");
        }
    }

    /** Nodes under {@code node}, aliases expanded; memoised per node, so shared subtrees are counted, not walked, again. */
    private static long expanded(String source, Node node, Map<Node, Long> sizes) {
        Long known = sizes.get(node);
        if (known != null) {
            if (known < 0) {
                throw new DefinitionException(YamlFields.location(source, node), "a YAML alias refers to a collection it is part of");
            }
            return known;
        }
        sizes.put(node, -1L);
        long total = 1;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                total = capped(total + expanded(source, tuple.getKeyNode(), sizes) + expanded(source, tuple.getValueNode(), sizes));
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                total = capped(total + expanded(source, item, sizes));
            }
        }
        sizes.put(node, total);
        return total;
    }

    private static long capped(long nodes) {
        // Past the limit the exact figure does not matter, and must not overflow.
        return Math.min(nodes, MAX_NODES * 1_000);
    }
}
