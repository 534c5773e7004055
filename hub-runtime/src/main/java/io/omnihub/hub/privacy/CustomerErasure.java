package io.omnihub.hub.privacy;

import io.omnihub.crm.CrmCore;
import io.omnihub.crm.ErasureOutcome;
import io.omnihub.crm.ErasureRecord;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a customer everywhere the hub keeps them: the core's tables first (one transaction, after
 * which their identifiers are suppressed on every node), then their messages on the broker; the
 * erasure record gets the counts of both.
 */
public final class CustomerErasure {

    private static final Logger log = LoggerFactory.getLogger(CustomerErasure.class);

    private final CrmCore crm;
    private final QueuedMessagesOfACustomer queued;

    public CustomerErasure(CrmCore crm, QueuedMessagesOfACustomer queued) {
        this.crm = crm;
        this.queued = queued;
    }

    /**
     * @throws java.util.NoSuchElementException when there is no such customer
     * @throws IllegalArgumentException         when the reason is missing
     */
    public ErasureRecord erase(String customerId, String actor, String reason) {
        ErasureOutcome outcome = crm.erase(customerId, actor, reason);
        ErasureRecord record = outcome.record();
        Map<String, Long> counts = new TreeMap<>(record.counts());
        try {
            Map<String, Long> removed = queued.remove(outcome.identifiers(), actor, "customer erased (erasure " + record.id() + ")");
            crm.recordErasureCounts(record.id(), removed);
            counts.putAll(removed);
        } catch (RuntimeException e) {
            // The database part has committed and suppresses new events: the broker's failure is put on
            // the record and in the log for an operator, not hidden, and not undone.
            log.error("erasure {}: the customer's queued messages could not all be removed ({}); the profile is erased and "
                    + "suppressed, check hub.dlq and the pipeline queues", record.id(), e.getClass().getSimpleName());
            crm.recordErasureCounts(record.id(), Map.of("queueScrubFailed", 1L));
            counts.put("queueScrubFailed", 1L);
        }
        return new ErasureRecord(record.id(), record.customerId(), record.profiles(), record.erasedBy(), record.reason(),
                record.erasedAt(), counts);
    }
}
