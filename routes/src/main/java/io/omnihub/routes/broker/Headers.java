package io.omnihub.routes.broker;

/**
 * Message properties the pipeline sets. Names are valid JMS identifiers so operators can use them
 * in broker selectors ({@code hub_connector = 'wechat'}).
 */
public final class Headers {

    public static final String CONNECTOR = "hub_connector";
    public static final String INSTANCE = "hub_instance";
    /** The channel's own id for the record. */
    public static final String RECORD_KEY = "hub_key";
    public static final String CONTENT_TYPE = "hub_content_type";
    /** Epoch millis when the hub received the record. */
    public static final String RECEIVED_AT = "hub_received_at";
    /** The raw record's attributes as a JSON object. */
    public static final String ATTRIBUTES = "hub_attributes";
    public static final String EVENT_ID = "hub_event_id";
    public static final String EVENT_TYPE = "hub_event_type";
    /** How many times a stage has tried this message. */
    public static final String ATTEMPTS = "hub_attempts";
    /** Epoch millis of the first failure. */
    public static final String FIRST_FAILURE_AT = "hub_first_failure_at";
    public static final String STAGE = "hub_stage";
    public static final String ERROR_CLASS = "hub_error_class";
    public static final String ERROR_MESSAGE = "hub_error_message";
    /** The queue a dead letter came from, where a replay sends it back. */
    public static final String ORIGINAL_QUEUE = "hub_original_queue";
    /** Artemis message group: one customer's events go to one consumer, in order. */
    public static final String GROUP_ID = "JMSXGroupID";
    /** Artemis scheduled delivery (epoch millis): durable backoff without a waiting thread. */
    public static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    /**
     * Artemis duplicate detection: a send the client repeats after a broker failover (it cannot
     * know whether the old primary had it) is dropped by the broker when it has this id already.
     */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private Headers() {
    }
}
