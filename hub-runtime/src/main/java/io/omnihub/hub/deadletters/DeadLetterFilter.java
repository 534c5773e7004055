package io.omnihub.hub.deadletters;

import java.util.Locale;

/**
 * Which dead letters an operator is looking at; every part is optional.
 *
 * @param connector the connector id, exactly
 * @param instance  the instance id, exactly
 * @param stage     the stage that failed ({@code ingress}, {@code normalize}, {@code enrich}, {@code core},
 *                  {@code actions}), or {@code broker} for messages the broker parked after its own redelivery limit
 * @param error     a piece of the error's class or message, any case
 */
public record DeadLetterFilter(String connector, String instance, String stage, String error) {

    /** Every dead letter. */
    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null);

    public DeadLetterFilter {
        connector = blankToNull(connector);
        instance = blankToNull(instance);
        stage = blankToNull(stage);
        error = blankToNull(error);
    }

    /** Whether the error part matches, once the other parts did. */
    boolean matchesError(String errorClass, String errorMessage) {
        if (error == null) {
            return true;
        }
        String needle = error.toLowerCase(Locale.ROOT);
        return (errorClass != null && errorClass.toLowerCase(Locale.ROOT).contains(needle))
                || (errorMessage != null && errorMessage.toLowerCase(Locale.ROOT).contains(needle));
    }

    /** A JMS selector string literal: single quotes doubled. */
    static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
