package io.omnihub.routes;

import io.omnihub.crm.CrmException;
import io.omnihub.crm.automation.Automation;
import io.omnihub.routes.action.ActionMessages;
import io.omnihub.routes.broker.RawJournal;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 4, {@code action-outbox}: the actions rules and journeys planned (table {@code crm_action})
 * → {@code hub.actions}, once they are due (quiet hours over). An action is marked queued in the
 * same database transaction that waited for the broker to persist it; nodes claim actions with
 * {@code FOR UPDATE SKIP LOCKED}.
 */
public final class ActionOutboxRoute extends RouteBuilder {

    public static final String ROUTE_ID = "action-outbox";
    private static final Logger LOG = LoggerFactory.getLogger(ActionOutboxRoute.class);
    /** Actions handed over per database transaction. */
    static final int BATCH = 100;

    private final Automation automation;
    private final RawJournal journal;
    private final ActionMessages messages;
    private final Duration interval;

    public ActionOutboxRoute(Automation automation, RawJournal journal, ActionMessages messages, Duration interval) {
        this.automation = automation;
        this.journal = journal;
        this.messages = messages;
        this.interval = interval;
    }

    @Override
    public void configure() {
        from("timer:action-outbox?period=" + interval.toMillis() + "&delay=" + interval.toMillis())
                .routeId(ROUTE_ID)
                .process(exchange -> drain());
    }

    /** Hands every due action to {@code hub.actions}; returns how many. */
    public int drain() {
        int total = 0;
        try {
            int n;
            do {
                n = automation.outbox().drainOutbox(BATCH, actions -> {
                    try {
                        journal.appendAll(actions.stream().map(messages::toActions).toList()).get(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while queueing actions", e);
                    } catch (ExecutionException | TimeoutException e) {
                        throw new IllegalStateException("the broker did not persist the actions: " + e.getMessage(), e);
                    }
                });
                total += n;
            } while (n == BATCH);
        } catch (CrmException | IllegalStateException e) {
            LOG.warn("action-outbox: actions stay in the outbox for the next round: {}", e.getMessage());
        }
        return total;
    }
}
