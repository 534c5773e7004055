package io.omnihub.crm.reports;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * How the enrollments a journey started in a period went: what its steps sent per channel, what the
 * guards held back, and how many reached the journey's goal. Counts are over enrollments started in
 * the period and the actions of those enrollments, whenever they ran.
 *
 * @param journey             the journey id
 * @param period              the period enrollments started in
 * @param enrolled            enrollments started in the period
 * @param customers           distinct customers among them (merged profiles count once)
 * @param reached             enrollments with at least one action sent
 * @param sent                actions sent, per channel (connector)
 * @param suppressed          actions suppressed, per guard (the reason up to its first colon:
 *                            {@code consent}, {@code frequency cap}, {@code campaign}, {@code no recipient}, ...)
 * @param failed              actions that failed for good
 * @param pending             actions not yet sent nor suppressed (planned, queued, retrying, sending, unknown)
 * @param goal                the goal of the journey's newest version among these enrollments, or null when none names one
 * @param goalEnrollments     enrollments on a version that names a goal
 * @param converted           of those, the ones whose customer had the goal event within the goal's time of the start
 * @param conversionRate      converted / goal enrollments, null when no enrollment has a goal
 */
public record JourneyFunnel(String journey, ReportPeriod period, long enrolled, long customers, long reached, Map<String, Long> sent,
                            Map<String, Long> suppressed, long failed, long pending, Goal goal, long goalEnrollments, long converted,
                            BigDecimal conversionRate) {

    /**
     * This funnel showing {@code current} (the journey's goal as defined now) when none of its
     * enrollments ran on a version with a goal: nothing converted, but the reader sees what would count.
     */
    public JourneyFunnel orGoal(Goal current) {
        return goal != null || current == null ? this
                : new JourneyFunnel(journey, period, enrolled, customers, reached, sent, suppressed, failed, pending, current, 0, 0, null);
    }

    /** A journey's goal as the report shows it: the event type and the time allowed after the enrollment's start. */
    public record Goal(String event, Duration within) {
    }
}
