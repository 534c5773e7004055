package io.omnihub.hub.api;

import io.omnihub.crm.automation.ActionSpec;
import io.omnihub.crm.automation.EventMatch;
import io.omnihub.crm.automation.JourneyDefinition;
import io.omnihub.crm.automation.RuleDefinition;
import io.omnihub.crm.automation.SegmentDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the API shows of definitions: enough to see what is in force and where it is written. */
final class DefinitionViews {

    private DefinitionViews() {
    }

    /**
     * @param id          the rule's id
     * @param description what it is for
     * @param on          event types it listens to (empty: all)
     * @param when        its condition, or null
     * @param then        its actions' kinds, in order
     * @param source      where it is defined: a file of the definitions folder or {@code api:rules/<id>}
     */
    record Rule(String id, String description, List<String> on, String when, List<String> then, String source) {
        static Rule of(RuleDefinition r) {
            return new Rule(r.id(), r.description(), r.on().stream().sorted().toList(), r.when() == null ? null : r.when().source(),
                    r.then().stream().map(ActionSpec::name).toList(), r.location().toString());
        }
    }

    /**
     * @param id          the segment's id
     * @param description what it is for
     * @param when        its condition
     * @param size        how many customers are in it now
     * @param source      where it is defined
     */
    record Segment(String id, String description, String when, long size, String source) {
        static Segment of(SegmentDefinition s, long size) {
            return new Segment(s.id(), s.description(), s.when().source(), size, s.location().toString());
        }
    }

    /**
     * @param id          the journey's id
     * @param description what it is for
     * @param version     the current version (enrollments keep the version they started on)
     * @param trigger     {@code event: <type>} or {@code segment: <id>}, with its condition
     * @param reentry     whether a customer may enter again after an enrollment ended
     * @param exitOn      event types that end an enrollment
     * @param steps       the steps: id and what it does
     * @param enrollments enrollments by status
     * @param source      where it is defined
     */
    record Journey(String id, String description, String version, Map<String, String> trigger, boolean reentry, List<String> exitOn,
                   List<Map<String, String>> steps, Map<String, Long> enrollments, String source) {
        static Journey of(JourneyDefinition j, Map<String, Long> enrollments) {
            Map<String, String> trigger = new java.util.LinkedHashMap<>();
            if (j.trigger().eventType() != null) {
                trigger.put("event", j.trigger().eventType());
            } else {
                trigger.put("segment", j.trigger().segment());
            }
            if (j.trigger().when() != null) {
                trigger.put("when", j.trigger().when().source());
            }
            List<Map<String, String>> steps = new ArrayList<>();
            for (JourneyDefinition.Step step : j.steps()) {
                steps.add(Map.of("id", step.id(), "does", describe(step)));
            }
            return new Journey(j.id(), j.description(), j.version(), trigger, j.reentry(), j.exitOn().stream().map(EventMatch::type).toList(),
                    steps, enrollments, j.location().toString());
        }

        private static String describe(JourneyDefinition.Step step) {
            if (step instanceof JourneyDefinition.Wait w) {
                return "wait " + w.duration();
            } else if (step instanceof JourneyDefinition.WaitFor w) {
                return "wait for " + w.event().type() + " up to " + w.timeout();
            } else if (step instanceof JourneyDefinition.Branch b) {
                return "branch on " + b.condition().source();
            } else if (step instanceof JourneyDefinition.Act a) {
                return a.action().name();
            }
            return "exit";
        }
    }
}
