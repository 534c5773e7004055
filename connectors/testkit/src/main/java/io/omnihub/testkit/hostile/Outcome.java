package io.omnihub.testkit.hostile;

import java.util.Locale;

/**
 * What a user of the hub sees when a connector meets an input: the outcome a hostile input is
 * expected to have, as written in a corpus' {@value HostileCorpus#OUTCOMES} table.
 */
public enum Outcome {

    /** {@code BadSignatureException} from the webhook handler: answered 401, counted, nothing kept. */
    REFUSED,
    /** {@code BadInputException} from the webhook handler: answered 400, the request parked on the dead-letter queue. */
    REJECTED,
    /** Accepted or polled, then {@code BadInputException} while normalizing or looking up: the record parked. */
    PARKED,
    /** Accepted, and normalized to no event (staff traffic, a test message, a voided ticket). */
    NO_EVENT,
    /** Accepted, and normalized to at least one event that passes the canonical-event rules. */
    EVENTS,
    /** A call that returned normally (a check, an API lookup outside normalization). */
    OK,
    /** {@code TransientException}: retried with backoff; a record waits durably meanwhile. */
    TRANSIENT,
    /** {@code ConfigException}: the instance is FAILED until its configuration changes. */
    CONFIG,
    /** {@code AuthException}: the credentials are refreshed and the call tried once more. */
    AUTH,
    /** {@code RateLimitedException} with a positive {@code retryAfter}: the hub waits, then retries. */
    RATE_LIMITED,
    /** A dropped file refused as a whole, set aside (e.g. to {@code error/}) with the reason. */
    FILE_REFUSED;

    /** The name used in outcome tables: {@code rate-limited}, {@code no-event}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The outcome named {@code label} in a table. */
    public static Outcome of(String label) {
        for (Outcome outcome : values()) {
            if (outcome.label().equals(label.trim())) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + label + "'");
    }
}
