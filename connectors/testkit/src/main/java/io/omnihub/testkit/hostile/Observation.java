package io.omnihub.testkit.hostile;

import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.schema.CanonicalEventValidator;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What a connector did with an input, classified as the {@link Outcome} a user would see: which
 * typed error it threw at which stage, or which events it produced. An error that is none of the
 * SDK's typed errors (a {@code NullPointerException}, an {@code OutOfMemoryError}) is kept as
 * {@link #unexpected()}, which {@link HostileChecks#expect} reports as a defect whatever the table says.
 *
 * <p>Where several records come from one input (a push of several messages, a file of rows), the
 * outcome is the most severe one: a parked record outweighs the events of the others.
 */
public final class Observation {

    private static final CanonicalEventValidator RULES = CanonicalEventValidator.create();

    private final Outcome outcome;
    private final List<String> messages;
    private final List<Throwable> errors;
    private final List<CustomerEvent> events;
    private final Throwable unexpected;

    private Observation(Outcome outcome, List<String> messages, List<Throwable> errors, List<CustomerEvent> events,
                        Throwable unexpected) {
        this.outcome = outcome;
        this.messages = List.copyOf(messages);
        this.errors = List.copyOf(errors);
        this.events = List.copyOf(events);
        this.unexpected = unexpected;
    }

    /**
     * Hands {@code request} to {@code handler}, then every record it returned to {@code normalizer},
     * as the hub's ingress and normalize stages would; events are checked against the canonical-event
     * rules for {@code connectorId} and {@code instanceId}.
     */
    public static Observation ofWebhook(WebhookHandler handler, WebhookRequest request, Normalizer normalizer,
                                        String connectorId, String instanceId) {
        WebhookResult result;
        try {
            result = handler.handle(request);
        } catch (Throwable e) {
            return failed(e, true);
        }
        if (result == null) {
            return new Observation(null, List.of(), List.of(), List.of(),
                    new AssertionError("handle() returned null"));
        }
        return ofRecords(result.records(), normalizer, connectorId, instanceId);
    }

    /**
     * Takes the records {@code source} yields (a poll, a lookup) and normalizes each with
     * {@code normalizer}. A typed error of the source itself counts as that outcome
     * ({@code BadInputException} as {@link Outcome#PARKED}).
     */
    public static Observation ofSource(Callable<List<RawRecord>> source, Normalizer normalizer, String connectorId,
                                       String instanceId) {
        List<RawRecord> records;
        try {
            records = source.call();
        } catch (Throwable e) {
            return failed(e, false);
        }
        return ofRecords(records, normalizer, connectorId, instanceId);
    }

    /** Runs a call that produces no events (a check, an API client method): {@link Outcome#OK} or its typed error. */
    public static Observation ofCall(Callable<?> call) {
        try {
            call.call();
        } catch (Throwable e) {
            return failed(e, false);
        }
        return new Observation(Outcome.OK, List.of(), List.of(), List.of(), null);
    }

    /** An outcome the test determined itself, e.g. {@link Outcome#FILE_REFUSED} with the reason given. */
    public static Observation of(Outcome outcome, String message) {
        return new Observation(outcome, message == null ? List.of() : List.of(message), List.of(), List.of(), null);
    }

    private static Observation ofRecords(List<RawRecord> records, Normalizer normalizer, String connectorId,
                                         String instanceId) {
        List<CustomerEvent> events = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        Outcome worst = null;
        for (RawRecord record : records) {
            List<CustomerEvent> produced;
            try {
                produced = normalizer.normalize(record);
            } catch (Throwable e) {
                Observation failed = failed(e, false);
                if (failed.unexpected != null) {
                    return failed;
                }
                messages.addAll(failed.messages);
                errors.addAll(failed.errors);
                worst = worse(worst, failed.outcome);
                continue;
            }
            if (produced == null) {
                return new Observation(null, messages, errors, events, new AssertionError("normalize() returned null"));
            }
            for (CustomerEvent event : produced) {
                List<String> violations = RULES.validate(event, connectorId, instanceId);
                if (violations.isEmpty()) {
                    events.add(event);
                } else {
                    // The hub's normalize stage parks a record whose events break the rules.
                    String id = event.id() == null || event.id().length() <= 80 ? event.id() : event.id().substring(0, 80) + "...";
                    messages.add("event '" + id + "' breaks the canonical-event rules: " + violations);
                    worst = worse(worst, Outcome.PARKED);
                }
            }
        }
        if (worst == null) {
            worst = events.isEmpty() ? Outcome.NO_EVENT : Outcome.EVENTS;
        }
        return new Observation(worst, messages, errors, events, null);
    }

    private static Outcome worse(Outcome current, Outcome next) {
        return current == null || next.ordinal() < current.ordinal() ? next : current;
    }

    private static Observation failed(Throwable e, boolean atWebhook) {
        Outcome outcome = classify(e, atWebhook);
        if (outcome == null) {
            return new Observation(null, List.of(), List.of(e), List.of(), e);
        }
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                messages.add(t.getMessage());
            }
        }
        return new Observation(outcome, messages, List.of(e), List.of(), null);
    }

    private static Outcome classify(Throwable e, boolean atWebhook) {
        if (e instanceof BadSignatureException) {
            return Outcome.REFUSED;
        }
        if (e instanceof BadInputException) {
            return atWebhook ? Outcome.REJECTED : Outcome.PARKED;
        }
        if (e instanceof TransientException) {
            return Outcome.TRANSIENT;
        }
        if (e instanceof ConfigException) {
            return Outcome.CONFIG;
        }
        if (e instanceof AuthException) {
            return Outcome.AUTH;
        }
        if (e instanceof RateLimitedException limited && !limited.retryAfter().isNegative() && !limited.retryAfter().isZero()) {
            return Outcome.RATE_LIMITED;
        }
        return null;
    }

    /** The outcome, or {@code null} when the connector failed unexpectedly. */
    public Outcome outcome() {
        return outcome;
    }

    /** Every error message seen, causes included, plus why events were refused. */
    public List<String> messages() {
        return messages;
    }

    /** The typed errors seen. */
    public List<Throwable> errors() {
        return errors;
    }

    /** The valid events produced. */
    public List<CustomerEvent> events() {
        return events;
    }

    /** The error that is none of the SDK's typed errors, if any: always a defect. */
    public Optional<Throwable> unexpected() {
        return Optional.ofNullable(unexpected);
    }
}
