package io.omnihub.crm.automation;

/**
 * A saved condition over the customer. Membership is re-evaluated for a customer whenever one of
 * their events is applied, so it is current as events arrive, and for every customer by the
 * {@link SegmentSweep}, so a condition over the time ({@code now}) is current without events;
 * entering a segment can start a journey.
 *
 * @param id          unique among segments
 * @param description what it is for
 * @param when        the condition (scope {@link ExpressionLanguage.Scope#CUSTOMER})
 * @param location    where it is defined
 */
public record SegmentDefinition(String id, String description, Expression when, Location location) {
}
