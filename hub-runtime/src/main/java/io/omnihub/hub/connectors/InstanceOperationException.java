package io.omnihub.hub.connectors;

import java.util.List;

/** An operation on a connector instance that cannot be done; {@link #kind()} says why. */
public class InstanceOperationException extends RuntimeException {

    /** Why the operation was refused. */
    public enum Kind {
        /** No such instance is configured. */
        UNKNOWN,
        /** The instance's state or origin does not allow it now. */
        CONFLICT,
        /** The configuration given breaks the connector's schema. */
        INVALID
    }

    private final Kind kind;
    private final List<String> problems;

    InstanceOperationException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    InstanceOperationException(Kind kind, String message, List<String> problems) {
        super(message);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#INVALID}: each schema violation, naming keys, never values. */
    public List<String> problems() {
        return problems;
    }
}
