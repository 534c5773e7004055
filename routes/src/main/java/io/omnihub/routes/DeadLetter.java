package io.omnihub.routes;

import java.time.Instant;

/**
 * A message parked on {@code hub.dlq}, as operators see it.
 *
 * @param messageId      the broker's id for the parked message
 * @param stage          the stage that failed: {@code ingress}, {@code normalize}, {@code enrich}, {@code core}
 * @param connector      the connector id, when known
 * @param instance       the instance id, when known
 * @param errorClass     the error's type, e.g. {@code BadInputException}
 * @param errorMessage   the error's message
 * @param attempts       how many times the stage tried
 * @param firstFailureAt when the stage first failed
 * @param payloadPreview the start of the original payload with personal data masked
 */
public record DeadLetter(
        String messageId,
        String stage,
        String connector,
        String instance,
        String errorClass,
        String errorMessage,
        int attempts,
        Instant firstFailureAt,
        String payloadPreview) {
}
