package io.omnihub.crm.automation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A journey: a trigger that enrolls a customer, steps it walks through (waits, branches, actions),
 * and exit events that end it early.
 *
 * @param id          unique among journeys
 * @param description what it is for
 * @param trigger     what enrolls a customer
 * @param reentry     whether a customer may be enrolled again after an enrollment ended
 * @param exitOn      events that end an active enrollment
 * @param steps       the steps, run in order unless a branch or wait says otherwise
 * @param version     a digest of the definition: enrollments keep the version they started on
 * @param canonical   the definition as canonical JSON, stored with each version
 * @param location    where it is defined
 * @param goal        what counts as the journey working (its funnel's conversion), or null when it names none
 */
public record JourneyDefinition(String id, String description, Trigger trigger, boolean reentry, List<EventMatch> exitOn,
                                List<Step> steps, String version, String canonical, Location location, Goal goal) {

    /**
     * The journey's goal: an enrolled customer converted when an event of type {@code event} of theirs
     * happened within {@code within} of the enrollment's start (reports read it; the journey's steps do not).
     */
    public record Goal(String event, Duration within) {
    }

    /** The index of step {@code stepId}, or -1. */
    public int indexOf(String stepId) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).id().equals(stepId)) {
                return i;
            }
        }
        return -1;
    }

    public Optional<Step> step(String stepId) {
        int i = indexOf(stepId);
        return i < 0 ? Optional.empty() : Optional.of(steps.get(i));
    }

    /**
     * What enrolls a customer: an event of a type (with an optional condition over the event and
     * the customer), or entering a segment (with an optional condition).
     *
     * @param onBackfill with a segment: whether customers a backfill of the segment (a new or changed
     *                   definition evaluated over every customer) finds in it are enrolled too; by default
     *                   they are not, so defining a segment does not message everyone who already matches
     */
    public record Trigger(String eventType, String segment, Expression when, boolean onBackfill) {
    }

    /** A step of a journey. */
    public sealed interface Step {
        String id();
    }

    /** Waits a fixed time, then goes on with the next step. */
    public record Wait(String id, Duration duration) implements Step {
    }

    /**
     * Waits for an event; goes to {@code onEvent} when it comes (next step when null), or to
     * {@code onTimeout} when it does not come within {@code timeout} (next step when null).
     */
    public record WaitFor(String id, EventMatch event, Duration timeout, String onEvent, String onTimeout) implements Step {
    }

    /** Goes to {@code then} when the condition holds, else to {@code otherwise} (next step when null). */
    public record Branch(String id, Expression condition, String then, String otherwise) implements Step {
    }

    /** Runs an action, at most once per enrollment; skipped when {@code condition} is set and false. */
    public record Act(String id, Expression condition, ActionSpec action) implements Step {
    }

    /** Ends the enrollment. */
    public record Exit(String id) implements Step {
    }

    /** Step ids to their index, for validation. */
    static Map<String, Integer> index(List<Step> steps) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            out.put(steps.get(i).id(), i);
        }
        return out;
    }
}
