package io.omnihub.crm.automation;

import java.time.Instant;

/**
 * A customer's enrollment in a journey.
 *
 * @param id             its id (actions of its steps are {@code <id>:<step>})
 * @param journeyId      the journey
 * @param version        the journey version it runs on
 * @param customerId     the customer
 * @param status         {@code active}, {@code completed} or {@code exited}
 * @param step           the step it waits in, or null
 * @param waiting        {@code timer} or {@code event} while waiting, else null
 * @param triggerEventId the event that enrolled the customer
 * @param startedAt      when it started
 * @param updatedAt      last change
 * @param endedAt        when it ended, or null
 * @param endReason      why it ended
 */
public record EnrollmentView(String id, String journeyId, String version, String customerId, String status, String step,
                             String waiting, String triggerEventId, Instant startedAt, Instant updatedAt, Instant endedAt,
                             String endReason) {
}
