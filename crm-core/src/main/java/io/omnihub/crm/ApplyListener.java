package io.omnihub.crm;

import io.omnihub.connector.event.CustomerEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Work that must commit with the events the core applied, such as the automation engine's rules and
 * journeys: {@link CrmCore#apply} calls it inside the batch's transaction, after the batch, with the
 * customers' rows still locked.
 */
@FunctionalInterface
public interface ApplyListener {

    /**
     * Called once per applied batch, on the batch's connection. Throwing rolls the whole batch back
     * (a lock race is then retried with it).
     *
     * @param events the batch as given
     * @param result what the core did with each event, in the same order
     * @param now    the batch's time
     */
    void applied(Connection c, List<CustomerEvent> events, BatchResult result, Instant now) throws SQLException;
}
