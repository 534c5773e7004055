package io.omnihub.routes.event;

import java.util.List;

/** An event that is not a valid canonical event; the message lists every violation. */
public final class InvalidEventException extends RuntimeException {

    private final List<String> violations;

    public InvalidEventException(String eventId, List<String> violations) {
        super("event " + eventId + " is invalid: " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
