package io.omnihub.crm;

import java.time.Instant;
import java.util.List;

/**
 * One audited merge.
 *
 * @param id              the merge audit id, for {@link CrmCore#unmerge(String, String)}
 * @param survivingId     the profile that survived
 * @param mergedId        the profile that became its alias
 * @param kind            {@code event} (an event's identifiers joined them), {@code manual} (an operator), or
 *                        {@code split} (a profile split off this one when its owner withdrew cross-channel
 *                        linking: undone at once, the snapshot is what went)
 * @param evidenceEventId the event that joined them; {@code null} for a manual merge
 * @param reason          why
 * @param joined          the identifiers of the event that joined the two, with their evidence and
 *                        which profile owned each; empty for a manual merge
 * @param undoneAt        when it was undone, or {@code null}
 * @param undoneReason    why it was undone (an operator, a shared identifier), or {@code null}
 */
public record MergeRecord(String id, String survivingId, String mergedId, String kind, String evidenceEventId, String reason,
                          List<JoinedIdentifier> joined, Instant mergedAt, Instant undoneAt, String undoneReason) {
}
