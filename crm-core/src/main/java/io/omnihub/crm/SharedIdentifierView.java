package io.omnihub.crm;

import java.time.Instant;
import java.util.Map;

/**
 * An identifier the core found to be shared by several people, and what operators decided.
 *
 * @param namespace {@code null} for global types
 * @param status    {@code detected} (it stopped linking), {@code confirmed} by an operator, or
 *                  {@code overruled} (it links again; what was split stays split)
 * @param reason    what it was seen with, e.g. "seen with 3 different member_card of acme"
 * @param evidence  the counts behind it and what was undone: {@code peerType}, {@code peerNamespace},
 *                  {@code peers}, {@code undoneMerges}, {@code separatedEvents}, {@code heldBy}
 */
public record SharedIdentifierView(String type, String namespace, String value, String status, String reason,
                                   Map<String, Object> evidence, Instant detectedAt, Instant decidedAt, String decidedBy, String note) {
}
