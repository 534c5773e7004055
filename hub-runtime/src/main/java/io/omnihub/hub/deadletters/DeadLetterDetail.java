package io.omnihub.hub.deadletters;

import io.omnihub.routes.DeadLetter;
import java.util.Map;

/**
 * One parked message in full, as an operator inspects it before replaying or discarding it.
 *
 * @param summary          its failure context (stage, connector, instance, error, attempts, first failure)
 * @param replayTo         the queue a replay sends it to, or null when it cannot be replayed
 * @param replayRefusal    why it cannot be replayed, or null when it can
 * @param properties       its message properties, values with personal data and secrets masked
 * @param payload          its body as text, personal data and secrets masked, cut at 64 KiB
 * @param payloadBytes     the body's size
 * @param payloadTruncated whether {@code payload} was cut
 */
public record DeadLetterDetail(
        DeadLetter summary,
        String replayTo,
        String replayRefusal,
        Map<String, String> properties,
        String payload,
        int payloadBytes,
        boolean payloadTruncated) {
}
