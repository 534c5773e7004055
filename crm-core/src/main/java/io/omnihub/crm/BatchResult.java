package io.omnihub.crm;

import java.util.List;

/**
 * What {@link CrmCore#apply(List)} did with each event, in the order given.
 *
 * @param outcomes one per event
 */
public record BatchResult(List<Outcome> outcomes) {

    public BatchResult {
        outcomes = List.copyOf(outcomes);
    }

    /**
     * @param eventId    the event's id
     * @param status     what happened
     * @param customerId the (surviving) profile the event was applied to; for a duplicate the profile
     *                   recorded when it was first applied; {@code null} when rejected or suppressed
     * @param reason     why it was rejected, or a note; {@code null} when there is nothing to say
     */
    public record Outcome(String eventId, Status status, String customerId, String reason) {
    }

    public enum Status {
        /** Applied now. */
        APPLIED,
        /** Applied before (same event id): nothing changed. */
        DUPLICATE,
        /** Not applied because of the event itself (bad data, policy); retrying will not help. */
        REJECTED,
        /**
         * Not applied, and not to be kept anywhere: it carries an identifier of an erased customer
         * (the suppression list). Counted on the suppression; the reason names the suppressions only.
         */
        SUPPRESSED
    }

    public long count(Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }
}
