package io.omnihub.routes.broker;

import io.omnihub.routes.Queues;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the messages parked on {@code hub.dlq}: the original body and properties plus the context
 * an operator needs (stage, error, attempts, first failure, where to replay it).
 */
public final class DeadLetters {

    private static final int MAX_ERROR_LENGTH = 2000;

    private final Clock clock;

    public DeadLetters(Clock clock) {
        this.clock = clock;
    }

    /** {@code original} parked after {@code stage} failed with {@code error}. */
    public BrokerMessage park(BrokerMessage original, String stage, Throwable error) {
        return park(original, stage, error.getClass().getSimpleName(), error.getMessage());
    }

    public BrokerMessage park(BrokerMessage original, String stage, String errorClass, String errorMessage) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(Headers.STAGE, stage);
        context.put(Headers.ERROR_CLASS, errorClass);
        context.put(Headers.ERROR_MESSAGE, truncate(errorMessage == null ? errorClass : errorMessage));
        context.put(Headers.ATTEMPTS, Math.max(1, original.intProperty(Headers.ATTEMPTS, 0) + 1));
        context.put(Headers.FIRST_FAILURE_AT, original.longProperty(Headers.FIRST_FAILURE_AT, clock.millis()));
        context.put(Headers.ORIGINAL_QUEUE, original.queue());
        context.put(Headers.SCHEDULED_DELIVERY, null);
        return original.withQueue(Queues.DLQ, context);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
