package io.omnihub.routes;

import io.omnihub.crm.CrmException;
import io.omnihub.crm.automation.Automation;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code journey-timers}: fires the journey waits and task escalations that are due. Every node runs
 * it; each timer is claimed with {@code FOR UPDATE SKIP LOCKED} and fired in the transaction that
 * marks it fired, so it fires once however many nodes run, and again after a crash only if that
 * transaction did not commit.
 */
public final class JourneyTimersRoute extends RouteBuilder {

    public static final String ROUTE_ID = "journey-timers";
    private static final Logger LOG = LoggerFactory.getLogger(JourneyTimersRoute.class);
    /** Timers fired per visit; the rest wait for the next one. */
    static final int MAX_PER_VISIT = 500;

    private final Automation automation;
    private final Duration interval;
    private final java.util.concurrent.atomic.AtomicLong firedSoFar = new java.util.concurrent.atomic.AtomicLong();

    public JourneyTimersRoute(Automation automation, Duration interval) {
        this.automation = automation;
        this.interval = interval;
    }

    @Override
    public void configure() {
        from("timer:journey-timers?period=" + interval.toMillis() + "&delay=" + interval.toMillis())
                .routeId(ROUTE_ID)
                .process(exchange -> fireDue());
    }

    /** How many timers this node fired since it started, on its own visits and through {@link #fireDue}. */
    public long firedSoFar() {
        return firedSoFar.get();
    }

    /** Fires what is due now; returns how many fired. */
    public int fireDue() {
        try {
            int fired = automation.timers().fireDueTimers(MAX_PER_VISIT);
            firedSoFar.addAndGet(fired);
            return fired;
        } catch (CrmException e) {
            LOG.warn("journey-timers: due timers wait for the next visit: {}", e.getMessage());
            return 0;
        }
    }
}
