package io.omnihub.crm.automation;

import java.time.Instant;

/**
 * A staff task.
 *
 * @param id            its id
 * @param customerId    the customer it is about
 * @param title         what to do
 * @param note          more detail, or null
 * @param assignee      who should do it now (the manager once escalated)
 * @param manager       who it is escalated to
 * @param store         the store it was assigned by, or null
 * @param region        the region it was assigned by, or null
 * @param leadSource    the lead source it was assigned by, or null
 * @param origin        {@code journey:<id>} or {@code rule:<id>}
 * @param status        {@code open} or {@code done}
 * @param dueAt         when it should be done, or null
 * @param escalateAt    when it goes to the manager if still open, or null
 * @param escalatedAt   when it went to the manager, or null
 * @param escalatedFrom who had it before, when escalated
 * @param createdAt     when it was created
 * @param completedAt   when it was done
 * @param completedBy   who did it
 * @param completionNote what they noted
 */
public record TaskView(String id, String customerId, String title, String note, String assignee, String manager, String store,
                       String region, String leadSource, String origin, String status, Instant dueAt, Instant escalateAt,
                       Instant escalatedAt, String escalatedFrom, Instant createdAt, Instant completedAt, String completedBy,
                       String completionNote) {
}
