package io.omnihub.crm.automation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads one journey: its trigger, exit events, steps and goal. A step a branch or a wait goes to must
 * be a step of the same journey; the journey's canonical JSON and its digest are its version.
 */
final class JourneyParser {

    private JourneyParser() {
    }

    static JourneyDefinition journey(String source, Node node) {
        YamlFields f = new YamlFields(source, node, "a journey");
        String id = f.id();
        YamlFields j = f.describedAs("journey '" + id + "'")
                .only("id", "description", "trigger", "reentry", "exit-on", "steps", "goal");
        String description = j.text("description");
        YamlFields t = new YamlFields(source, j.requireNode("trigger"), "the trigger of journey '" + id + "'")
                .only("event", "segment", "when", "on-backfill");
        String event = t.text("event");
        String segment = t.text("segment");
        if ((event == null) == (segment == null)) {
            throw t.problem(t.requireNode(event == null ? "event" : "segment"),
                    "the trigger of journey '" + id + "' needs either 'event' or 'segment', not both");
        }
        if (event != null) {
            t.eventType("event", event);
        }
        if (segment != null && !DefinitionParser.ID.matcher(segment).matches()) {
            throw t.problem(t.node("segment"), "'" + segment + "' is not a segment id");
        }
        Expression when = t.has("when") ? t.expression("when", ExpressionLanguage.Scope.EVENT) : null;
        if (event != null && t.has("on-backfill")) {
            throw t.problem(t.node("on-backfill"), "'on-backfill' of journey '" + id + "' needs a 'segment' trigger");
        }
        boolean onBackfill = t.bool("on-backfill", false);
        t.finish();
        boolean reentry = j.bool("reentry", true);
        List<EventMatch> exitOn = new ArrayList<>();
        for (Node item : j.list("exit-on")) {
            exitOn.add(eventMatch(source, item, "an exit event of journey '" + id + "'", ExpressionLanguage.Scope.EVENT));
        }
        List<JourneyDefinition.Step> steps = new ArrayList<>();
        List<Node> stepNodes = j.list("steps");
        if (stepNodes.isEmpty()) {
            throw j.problem(node, "journey '" + id + "' needs 'steps'");
        }
        Map<String, Node> seen = new LinkedHashMap<>();
        for (int i = 0; i < stepNodes.size(); i++) {
            JourneyDefinition.Step step = step(source, stepNodes.get(i), id, i + 1);
            if (seen.put(step.id(), stepNodes.get(i)) != null) {
                throw j.problem(stepNodes.get(i), "step id '" + step.id() + "' appears twice in journey '" + id + "'");
            }
            steps.add(step);
        }
        for (int i = 0; i < steps.size(); i++) {
            for (String target : targets(steps.get(i))) {
                if (target != null && !seen.containsKey(target)) {
                    throw j.problem(stepNodes.get(i), "step '" + steps.get(i).id() + "' of journey '" + id
                            + "' goes to '" + target + "', which is not a step of it");
                }
            }
        }
        JourneyDefinition.Goal goal = null;
        if (j.has("goal")) {
            YamlFields g = new YamlFields(source, j.requireNode("goal"), "the goal of journey '" + id + "'").only("event", "within");
            goal = new JourneyDefinition.Goal(g.eventType("event", g.requireText("event")), g.duration("within", g.requireText("within")));
            g.finish();
        }
        j.finish();
        String canonical = CanonicalJson.of(YamlFields.plain(node));
        return new JourneyDefinition(id, description, new JourneyDefinition.Trigger(event, segment, when, onBackfill), reentry,
                List.copyOf(exitOn), List.copyOf(steps), CanonicalJson.digest(canonical), canonical, j.location(), goal);
    }

    private static List<String> targets(JourneyDefinition.Step step) {
        List<String> out = new ArrayList<>();
        if (step instanceof JourneyDefinition.Branch b) {
            out.add(b.then());
            out.add(b.otherwise());
        } else if (step instanceof JourneyDefinition.WaitFor w) {
            out.add(w.onEvent());
            out.add(w.onTimeout());
        }
        return out;
    }

    private static JourneyDefinition.Step step(String source, Node node, String journey, int number) {
        YamlFields s = new YamlFields(source, node, "step " + number + " of journey '" + journey + "'")
                .only("id", "if", "wait", "wait-for", "branch", "exit", "send", "webhook", "task", "tag", "untag", "score");
        String id = s.text("id");
        if (id == null) {
            id = "step-" + number;
        } else if (!DefinitionParser.ID.matcher(id).matches()) {
            throw s.problem(s.node("id"), "'" + id + "' is not a valid step id: " + DefinitionParser.ID.pattern());
        }
        String what = "step '" + id + "' of journey '" + journey + "'";
        List<String> kinds = new ArrayList<>();
        for (String name : s.names()) {
            if (ActionParser.KINDS.contains(name) || name.equals("wait") || name.equals("wait-for") || name.equals("branch") || name.equals("exit")) {
                kinds.add(name);
            }
        }
        if (kinds.size() != 1) {
            throw s.problem(node, what + " needs exactly one of wait, wait-for, branch, exit, "
                    + String.join(", ", new TreeSet<>(ActionParser.KINDS)) + (kinds.isEmpty() ? "" : "; it has " + kinds));
        }
        String kind = kinds.get(0);
        JourneyDefinition.Step step;
        switch (kind) {
            case "wait" -> {
                step = new JourneyDefinition.Wait(id, s.duration("wait", s.requireText("wait")));
            }
            case "wait-for" -> {
                YamlFields w = new YamlFields(source, s.node("wait-for"), "'wait-for' of " + what)
                        .only("event", "when", "timeout", "on-event", "on-timeout");
                String type = w.eventType("event", w.requireText("event"));
                Expression when = w.has("when") ? w.expression("when", ExpressionLanguage.Scope.JOURNEY) : null;
                Duration timeout = w.duration("timeout", w.requireText("timeout"));
                String onEvent = w.text("on-event");
                String onTimeout = w.text("on-timeout");
                w.finish();
                step = new JourneyDefinition.WaitFor(id, new EventMatch(type, when), timeout, onEvent, onTimeout);
            }
            case "branch" -> {
                YamlFields b = new YamlFields(source, s.node("branch"), "'branch' of " + what).only("if", "then", "else");
                b.requireNode("if");
                Expression condition = b.expression("if", ExpressionLanguage.Scope.JOURNEY);
                String then = b.requireText("then");
                String otherwise = b.text("else");
                b.finish();
                step = new JourneyDefinition.Branch(id, condition, then, otherwise);
            }
            case "exit" -> {
                if (!s.bool("exit", false)) {
                    throw s.problem(node, what + ": 'exit' must be true");
                }
                step = new JourneyDefinition.Exit(id);
            }
            default -> {
                Expression condition = s.has("if") ? s.expression("if", ExpressionLanguage.Scope.JOURNEY) : null;
                step = new JourneyDefinition.Act(id, condition, ActionParser.action(s, kind, ExpressionLanguage.Scope.JOURNEY, what));
            }
        }
        if (!(step instanceof JourneyDefinition.Act)) {
            s.node("if");
            if (s.has("if")) {
                throw s.problem(s.node("if"), what + ": 'if' is for action steps; use a branch");
            }
        }
        s.finish();
        return step;
    }

    private static EventMatch eventMatch(String source, Node node, String what, ExpressionLanguage.Scope scope) {
        if (node instanceof ScalarNode scalar) {
            if (!YamlFields.EVENT_TYPE.matcher(scalar.getValue()).matches()) {
                throw new DefinitionException(YamlFields.location(source, node), "'" + scalar.getValue() + "' is not an event type");
            }
            return new EventMatch(scalar.getValue(), null);
        }
        YamlFields f = new YamlFields(source, node, what).only("event", "when");
        String type = f.eventType("event", f.requireText("event"));
        Expression when = f.has("when") ? f.expression("when", scope) : null;
        f.finish();
        return new EventMatch(type, when);
    }
}
