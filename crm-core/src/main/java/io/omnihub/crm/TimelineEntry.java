package io.omnihub.crm;

import java.time.Instant;
import java.util.Map;

/**
 * One applied event on a profile's timeline.
 *
 * @param summary a small summary: {@code message} (kind, text), {@code order} (id, status, currency,
 *                totalMinor, lines), {@code extra}, {@code consent}, {@code unlinked} identities
 */
public record TimelineEntry(String eventId, String type, Instant time, String source, Map<String, Object> summary) {
}
