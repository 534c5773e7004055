package io.omnihub.crm;

import io.omnihub.connector.event.Identity;
import java.util.List;

/**
 * What an erasure did in the database, and the erased identifiers, which the caller needs once to
 * find the customer's messages still waiting outside the database (broker queues) and must not keep.
 *
 * @param record      the erasure record as written
 * @param identifiers the erased profiles' identifiers, in clear: for scrubbing queues, never to be stored or logged
 */
public record ErasureOutcome(ErasureRecord record, List<Identity> identifiers) {

    public ErasureOutcome {
        identifiers = List.copyOf(identifiers);
    }
}
