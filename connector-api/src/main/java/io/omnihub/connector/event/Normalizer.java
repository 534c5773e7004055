package io.omnihub.connector.event;

import io.omnihub.connector.source.RawRecord;
import java.util.List;

/**
 * Turns raw records into canonical events.
 *
 * <p>Called by the hub's normalize stage, possibly long after the record arrived and on another
 * node. The result must be deterministic: the same record gives events with the same ids, so a
 * redelivered record has no effect. The hub validates every event against the schema.
 *
 * <p>A normalizer may call the channel's API through the context when the record does not say who
 * the customer is; while that API is down it throws a
 * {@link io.omnihub.connector.errors.TransientException} and the hub retries the record later.
 * Lookups that are merely nice belong in an {@link Enricher} instead.
 */
public interface Normalizer {

    /**
     * @return the events; empty when the record carries nothing customer-related (staff traffic,
     *     a platform health check): the hub then acknowledges the record and keeps nothing of it
     * @throws io.omnihub.connector.errors.BadInputException when the record cannot be understood;
     *     the hub parks it on the dead-letter queue with the message
     */
    List<CustomerEvent> normalize(RawRecord record);
}
