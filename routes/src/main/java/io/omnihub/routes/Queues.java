package io.omnihub.routes;

/** The durable queues of the pipeline (DESIGN §4); names operators see in the broker. */
public final class Queues {

    /** Raw records, persisted before a webhook is acknowledged. */
    public static final String RAW = "hub.raw";
    /** Canonical events, grouped by the customer's strongest identity. */
    public static final String EVENTS = "hub.events";
    /** Events waiting for an enrichment lookup. */
    public static final String ENRICH = "hub.enrich";
    /** Outbound actions. */
    public static final String ACTIONS = "hub.actions";
    /** Everything any stage could not process, with context headers. */
    public static final String DLQ = "hub.dlq";

    private Queues() {
    }
}
