package io.omnihub.crm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The single customer view of a surviving profile.
 *
 * @param id                 the surviving profile's id
 * @param identities         linked identifiers (they match this profile)
 * @param attributes         most recent non-empty value per attribute
 * @param timeline           the latest {@link CrmCore#VIEW_TIMELINE_LIMIT} entries, newest first
 *                           (page further with {@link CrmCore#timeline})
 * @param mergedIds          ids merged into this profile (directly or through earlier merges)
 * @param unlinkedIdentities identifiers seen with this profile that do not match it
 */
public record CustomerView(String id, Instant createdAt, List<IdentityView> identities, Map<String, Object> attributes,
                           ConsentView consent, OrderSummary orders, List<TimelineEntry> timeline, List<String> tags,
                           Map<String, Long> scores, List<String> mergedIds,
                           List<UnlinkedIdentityView> unlinkedIdentities) {
}
