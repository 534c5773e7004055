package io.omnihub.crm.automation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one action (send, webhook, task, tag, untag, score), an item of a rule's {@code then:} or
 * the action of a journey step; templates and CEL in it are compiled for the scope it runs in.
 */
final class ActionParser {

    /** The action kinds, each a field naming the action. */
    static final Set<String> KINDS = Set.of("send", "webhook", "task", "tag", "untag", "score");

    private ActionParser() {
    }

    /** An item of a rule's {@code then:}: a mapping of exactly one action. */
    static ActionSpec item(String source, Node node, ExpressionLanguage.Scope scope, String what) {
        YamlFields f = new YamlFields(source, node, what).only("send", "webhook", "task", "tag", "untag", "score");
        List<String> kinds = f.names().stream().filter(KINDS::contains).toList();
        if (kinds.size() != 1) {
            throw f.problem(node, what + " needs exactly one of " + String.join(", ", new TreeSet<>(KINDS)));
        }
        ActionSpec action = action(f, kinds.get(0), scope, what);
        f.finish();
        return action;
    }

    /** The action under {@code kind} of {@code holder} (a rule's item or a journey step). */
    static ActionSpec action(YamlFields holder, String kind, ExpressionLanguage.Scope scope, String what) {
        String source = holder.location().source();
        Node node = holder.node(kind);
        if (node == null) {
            throw holder.problem(holder.requireNode(kind), what + ": '" + kind + "' is empty");
        }
        String where = "'" + kind + "' of " + what;
        return switch (kind) {
            case "send" -> send(source, node, scope, where);
            case "webhook" -> {
                YamlFields w = new YamlFields(source, node, where).only("target", "body");
                String target = w.requireText("target");
                Node body = w.node("body");
                w.finish();
                yield new ActionSpec.Webhook(target, body == null ? Payload.empty() : payload(source, body, scope));
            }
            case "task" -> task(source, node, scope, where);
            case "tag", "untag" -> {
                List<Template> tags = new ArrayList<>();
                List<Node> items = node instanceof ScalarNode ? List.of(node) : holder.sequence(node, kind);
                for (Node item : items) {
                    if (!(item instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
                        throw holder.problem(item, where + " must name tags");
                    }
                    tags.add(Template.parse(scalar.getValue(), scope, YamlFields.location(source, item)));
                }
                yield new ActionSpec.Tag(kind.equals("tag"), List.copyOf(tags));
            }
            case "score" -> {
                YamlFields sc = new YamlFields(source, node, where).only("name", "add", "set");
                String name = sc.requireText("name");
                if (!DefinitionParser.ID.matcher(name.replace('-', '_')).matches()) {
                    throw sc.problem(sc.node("name"), "'" + name + "' is not a valid score name");
                }
                boolean add = sc.has("add");
                boolean set = sc.has("set");
                if (add == set) {
                    throw sc.problem(node, where + " needs either 'add' or 'set'");
                }
                Expression value = sc.expression(add ? "add" : "set", scope);
                sc.finish();
                yield new ActionSpec.Score(name, add ? value : null, set ? value : null);
            }
            default -> throw new IllegalStateException(kind);
        };
    }

    private static ActionSpec send(String source, Node node, ExpressionLanguage.Scope scope, String where) {
        YamlFields s = new YamlFields(source, node, where);
        boolean via = s.names().contains("via");
        boolean prefer = s.names().contains("prefer");
        if (via && prefer) {
            throw s.problem(s.node("prefer"), where + " takes either 'via' (the channel the customer uses most) or 'prefer' "
                    + "(the first that can reach the customer, in the listed order), not both");
        }
        String list = via ? "via" : prefer ? "prefer" : null;
        s.only(list != null ? new String[] {"marketing", "campaign", list}
                : new String[] {"marketing", "campaign", "connector", "instance", "kind", "recipient", "payload"});
        boolean marketing = s.bool("marketing", true);
        String campaign = s.text("campaign");
        if (campaign != null && !DefinitionParser.ID.matcher(campaign).matches()) {
            throw s.problem(s.node("campaign"), "'" + campaign + "' is not a valid campaign id: " + DefinitionParser.ID.pattern());
        }
        List<ActionSpec.SendOption> options = new ArrayList<>();
        if (list != null) {
            for (Node option : s.list(list)) {
                YamlFields o = new YamlFields(source, option, "a '" + list + "' option of " + where)
                        .only("connector", "instance", "kind", "recipient", "payload");
                options.add(sendOption(o, scope));
                o.finish();
            }
            if (options.isEmpty()) {
                throw s.problem(s.node(list), "'" + list + "' of " + where + " needs at least one option");
            }
        } else {
            options.add(sendOption(s, scope));
        }
        s.finish();
        return new ActionSpec.Send(marketing, campaign, List.copyOf(options),
                prefer ? ActionSpec.Order.PREFERENCE : ActionSpec.Order.MOST_USED);
    }

    private static ActionSpec.SendOption sendOption(YamlFields o, ExpressionLanguage.Scope scope) {
        String connector = o.requireText("connector");
        String instance = o.requireText("instance");
        String kind = o.requireText("kind");
        Node recipient = o.requireNode("recipient");
        String type;
        String namespace = null;
        if (recipient instanceof ScalarNode scalar) {
            type = scalar.getValue();
        } else {
            YamlFields r = new YamlFields(o.location().source(), recipient, "the recipient of " + o.what()).only("type", "namespace");
            type = r.requireText("type");
            namespace = r.text("namespace");
            r.finish();
        }
        Node payload = o.node("payload");
        return new ActionSpec.SendOption(connector, instance, kind, type, namespace,
                payload == null ? Payload.empty() : payload(o.location().source(), payload, scope));
    }

    private static ActionSpec task(String source, Node node, ExpressionLanguage.Scope scope, String where) {
        YamlFields t = new YamlFields(source, node, where).only("title", "note", "assign-by", "key", "assignee", "due", "escalate-after");
        Template title = t.template("title", scope, true);
        Template note = t.template("note", scope, false);
        String assignBy = t.text("assign-by");
        if (assignBy != null && !Set.of("region", "store", "source").contains(assignBy)) {
            throw t.problem(t.node("assign-by"), "'assign-by' must be region, store or source");
        }
        Expression key = t.has("key") ? t.expression("key", scope) : null;
        Template assignee = t.template("assignee", scope, false);
        if ((assignBy == null) == (assignee == null)) {
            throw t.problem(node, where + " needs either 'assign-by' (region, store, source) or a fixed 'assignee'");
        }
        if (key != null && assignBy == null) {
            throw t.problem(t.node("key"), "'key' goes with 'assign-by'");
        }
        Duration due = t.has("due") ? t.duration("due", t.text("due")) : null;
        Duration escalate = t.has("escalate-after") ? t.duration("escalate-after", t.text("escalate-after")) : null;
        t.finish();
        return new ActionSpec.Task(title, note, assignBy, key, assignee, due, escalate);
    }

    private static Payload payload(String source, Node node, ExpressionLanguage.Scope scope) {
        return Payload.of(payloadTree(source, node, scope));
    }

    private static Object payloadTree(String source, Node node, ExpressionLanguage.Scope scope) {
        if (node instanceof MappingNode mapping) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new DefinitionException(YamlFields.location(source, tuple.getKeyNode()), "payload keys must be plain text");
                }
                out.put(key.getValue(), payloadTree(source, tuple.getValueNode(), scope));
            }
            return out;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> out = new ArrayList<>();
            sequence.getValue().forEach(item -> out.add(payloadTree(source, item, scope)));
            return out;
        }
        Object plain = YamlFields.plain(node);
        if (plain instanceof String text) {
            return Template.parse(text, scope, YamlFields.location(source, node));
        }
        return plain;
    }
}
