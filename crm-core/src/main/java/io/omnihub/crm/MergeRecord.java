package io.omnihub.crm;

import java.time.Instant;

/**
 * One audited merge.
 *
 * @param id              the merge audit id, for {@link CrmCore#unmerge(String)}
 * @param survivingId     the profile that survived
 * @param mergedId        the profile that became its alias
 * @param evidenceEventId the event that joined them; {@code null} for a manual merge
 * @param reason          why
 * @param undoneAt        when it was undone, or {@code null}
 */
public record MergeRecord(String id, String survivingId, String mergedId, String evidenceEventId, String reason,
                          Instant mergedAt, Instant undoneAt) {
}
