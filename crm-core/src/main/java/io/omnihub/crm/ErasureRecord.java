package io.omnihub.crm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The record an erasure leaves: who, when, why and how much of each kind of data went. It holds
 * no personal data: profile ids are random and name nobody once the profiles are gone.
 *
 * @param id         the erasure's id
 * @param customerId the profile id the erasure was asked for
 * @param profiles   every profile erased: the surviving one and those merged into it
 * @param erasedBy   who asked
 * @param reason     why
 * @param erasedAt   when
 * @param counts     rows (or queued messages) removed or scrubbed, per kind, e.g. {@code timeline: 12}
 */
public record ErasureRecord(String id, String customerId, List<String> profiles, String erasedBy, String reason, Instant erasedAt,
                            Map<String, Long> counts) {

    public ErasureRecord {
        profiles = List.copyOf(profiles);
        counts = Map.copyOf(counts);
    }
}
