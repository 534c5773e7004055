package io.omnihub.hub.privacy.retention;

/** The kinds of data the hub keeps for a limited time, each with its own period ({@link RetentionProperties}). */
public enum RetentionKind {
    /** The detail of customers' timeline entries (the entries themselves stay). */
    TIMELINE_DETAIL("timeline-detail", false),
    /** The payload and recipient of finished actions (the actions themselves stay). */
    ACTION_PAYLOADS("action-payloads", false),
    /** Messages parked on {@code hub.dlq}. */
    DEAD_LETTERS("dead-letters", true),
    /** Raw records still waiting on {@code hub.raw}. */
    RAW_RECORDS("raw-records", true),
    /** Audit rows: reveals of personal data, dead-letter replays and discards. */
    AUDIT("audit", false);

    private final String id;
    private final boolean onBroker;

    RetentionKind(String id, boolean onBroker) {
        this.id = id;
        this.onBroker = onBroker;
    }

    /** Whether this data is on the broker (else in the database). */
    public boolean onBroker() {
        return onBroker;
    }

    /** The name operators see, as in {@code hub.privacy.retention.<id>}. */
    public String id() {
        return id;
    }
}
